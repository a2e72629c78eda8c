"""Engine adapters: they translate an engine's settings and events to the pipeline, nothing else."""
