"""Reading figures and dates as written: ``quantity`` ("almost half of 410,000") and ``period``
("As of 2015", "In December 2019")."""
