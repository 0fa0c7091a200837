"""The project's two sources, read strictly: the article (``article``; its transcription held to
its text by ``transcription``) and the official statistics (``provenance``, ``official``,
``derive``). ``raw`` reads any raw file."""
