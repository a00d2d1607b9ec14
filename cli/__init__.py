"""The command line's commands; server.py parses the arguments."""
