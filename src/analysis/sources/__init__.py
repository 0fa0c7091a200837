"""The project's two sources, read strictly: the article (``article``; its transcription held to
its text by ``transcription``), the official statistics (``provenance``, ``official``,
``derive``), and revisions of the article (``revisions``). ``raw`` reads any raw CSV."""
