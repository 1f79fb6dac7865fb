"""Files in: collecting, reading in worker processes, storing documents."""
