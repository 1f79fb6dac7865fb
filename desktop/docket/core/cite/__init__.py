"""Pin cites: a quote with the cite a brief gives it ("…" (Smith Dep. at 12))."""
