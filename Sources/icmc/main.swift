import ICMCCommandLine
import Specs

ICMC.main(catalog: .builtIn)
