"""Reports: the final report and progress reports of an assembly (builders,
organisers' screen, public page, files and API), stored and versioned by ``reports``."""
