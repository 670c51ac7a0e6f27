"""Legacy adapters: read what county and city systems export and translate it into the standard.

``readers/`` has one module per file format (a registry, like sqlglot's dialects); the content —
one folder per legacy system with its mapping profile and sample files — is in the top-level
``adapters/`` folder.
"""
