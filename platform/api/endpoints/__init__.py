"""The API's routers, one module per area; assembled in `api.v1`."""
