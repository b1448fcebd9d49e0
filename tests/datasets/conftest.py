from fazhi.core.periods import Period

YEAR = Period.year(2024)
START = YEAR.start
