"""Reading a scenario: the schema (validation and docs), scenario files, township tables,
synthetic regions, boundaries and the region profile."""
