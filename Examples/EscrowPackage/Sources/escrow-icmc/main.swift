import Escrow
import ICMCCommandLine
import Specs

ICMC.main(catalog: .builtIn + Escrow.catalog)
