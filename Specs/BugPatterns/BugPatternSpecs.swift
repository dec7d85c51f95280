import ICCore
import ICSpec

/// Bug patterns B1-B14 (ic-semantics.md §6): each a buggy program (expected violated, with its
/// shortest trace) and its fix (expected to hold within the bounds).
public enum BugPatternSpecs {
    public static var all: [Spec] {
        B01.specs + B02.specs + B03.specs + B04.specs + B05.specs + B06.specs + B07.specs + B08.specs + B09.specs + B09Variants.specs + B10.specs + B12.specs + B14.specs
    }
}
