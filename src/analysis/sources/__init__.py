"""The project's two sources, read strictly: the article (``article``), the official statistics
(``provenance``, ``official``, ``derive``), and revisions of the article (``revisions``). ``raw``
reads any raw CSV."""
