"""Running one notebook in a fresh, limited, sandboxed kernel: launch, limits, Landlock,
bubblewrap, the sentry and guard inside the kernel, and the signed channel values come back by."""
