"""One module per group of commands; each only parses, calls the library, renders and
echoes. Library modules are imported inside the commands, so ``maturity --help`` stays
quick."""
