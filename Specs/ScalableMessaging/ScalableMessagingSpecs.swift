import ICCore

/// Specs of what the scalable messaging model claims.
public enum ScalableMessagingSpecs {
    public static var all: [Spec] { [] }
}
