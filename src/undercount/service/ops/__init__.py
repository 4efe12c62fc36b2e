"""The service's operations: each calls the library and shapes its results.

Routes stay thin: they check input, call one operation (on the database's threads
or as a background job) and wrap the answer in the envelope. Nothing here
re-implements the library; see each module for the library function it calls.
"""
