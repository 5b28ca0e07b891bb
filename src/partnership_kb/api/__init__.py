"""The GraphQL API and the explorer, served by one Starlette app."""
