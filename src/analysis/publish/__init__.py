"""What readers see: ``fmt`` (numbers and dates in words), ``style`` (the house style, saving
charts), ``charts`` (one module per chart: the rows it plots, its words, its drawing, and their
registry), ``text`` (the sentences of the README and the site, written from the data), ``tables``
(tables for readers), ``readme`` (the README's generated sections) and ``site`` (``make report``)."""
