"""Problems told in Vietnamese and English, the build cache and worker pools:
what every layer uses."""
