from .cli import main

# Guarded: worker processes (spawned for page analysis) import the parent's
# main module, and must not start another CLI.
if __name__ == "__main__":
    main()
