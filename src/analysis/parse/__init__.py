"""Reading figures and dates as written: ``quantity`` ("almost half of 410,000"), ``period``
("As of 2015", "In December 2019") and ``stage`` ("2nd and 3rd year"); ``extract`` finds every
phrase they read in a text."""
