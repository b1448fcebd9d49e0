"""学法: theory study sessions, study before meetings, legal training and law exams (a data set)."""
