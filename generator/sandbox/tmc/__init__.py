"""The sandbox's message service (TMC): queues per group, the long connection, the REST APIs."""
