"""The text formats: writers that read the finished document (HTML page, EPUB, narration
script, model JSON) and the pieces they share (one renderer, captions, media overlays).
"""
