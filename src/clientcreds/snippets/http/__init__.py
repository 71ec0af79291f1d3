"""Raw HTTP: the message itself."""
