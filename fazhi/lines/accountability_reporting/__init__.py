"""述法: leaders reporting on their duty to advance the rule of law, on site or in writing (a data set)."""
