"""The bundled demo agency website and its server."""
