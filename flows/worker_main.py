"""Entry point of a stage worker process: `python -m flows.worker_main FD`.

FD is the worker's end of a socket pair with the pool (flows.workerpool). A module of its own so
that what the worker sends pickles under `flows.stage_worker`, not `__main__`.
"""

import sys
from multiprocessing.connection import Connection

from flows.stage_worker import serve

if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
