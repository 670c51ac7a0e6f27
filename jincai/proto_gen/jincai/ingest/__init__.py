"""Python stubs generated from proto/ by grpc_tools.protoc (``python -m jincai.generate``) — do not edit."""
