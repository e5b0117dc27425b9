"""The command line: parses arguments, calls one answer, hands the result to a renderer."""
