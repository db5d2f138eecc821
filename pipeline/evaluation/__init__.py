"""`postwatch evaluate`: the gold-format scorer (`scoring`) and the run that feeds it the
warehouse's predictions (`run`)."""
