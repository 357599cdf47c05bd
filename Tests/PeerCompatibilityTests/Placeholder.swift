// Compatibility tests against the Python Genkit peer.
