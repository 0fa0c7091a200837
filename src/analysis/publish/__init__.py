"""What readers see: ``fmt`` (numbers and dates in words), ``style`` (the house style, saving
charts), ``views`` (the rows each chart plots), ``text`` (every sentence written from the data),
``plots`` (drawing), ``tables`` (tables for readers), ``readme`` (the README's generated
sections) and ``site`` (``make report``)."""
