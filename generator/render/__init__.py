"""Stage 2 and 3: models -> template context -> one HTML string, in a sandboxed Jinja environment."""
