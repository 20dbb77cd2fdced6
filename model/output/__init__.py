"""What a run leaves behind: the run folder, the whole run of a scenario, figures, the report
and every label in Chinese and English."""
