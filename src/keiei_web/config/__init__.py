"""Project configuration: settings per environment, the URL map and the WSGI entry point."""
