"""Narrated audio: join cached utterances, normalise loudness, encode MP3 and M4B."""
