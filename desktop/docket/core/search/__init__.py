"""Full-text search: Docket's query language and the engine behind it."""
