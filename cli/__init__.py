"""The build pipeline and the `diplograph` command line over the library."""
