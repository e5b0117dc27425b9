"""Plain-English questions: find the names, decide the intent, reuse an answer."""
