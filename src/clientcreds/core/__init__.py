"""The bottom layer: protocol constants, secrets, the secure-URL rule, words for times, and the
loopback server. Standard library only; nothing here imports another layer."""
