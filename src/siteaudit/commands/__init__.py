"""CLI commands, one module per concern; each exports ``COMMANDS``."""
