"""mtas.py - the sink and the two MTAs of bench/mtabench.py, each started and stopped by pid."""
import os
import shutil
import signal
import subprocess

from procs import Fail, free_port, log, wait_listening, wait_until

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DIST = os.path.join(ROOT, "distribution", "target", "sluice")


class Sink:
    """smtp-sink on 127.0.0.1:port counting completed DATA transactions (-c) into its output file."""

    def __init__(self, procs, work, name, port):
        self.out = os.path.join(work, f"sink-{name}.out")
        self.port = port
        self.proc = procs.start(f"sink-{name}", ["smtp-sink", "-u", "nobody", "-c", "-C", "-F", "-h",
                                                 "sink.bench.test", "-m", "1000", f"127.0.0.1:{port}", "1024"],
                                out=self.out)
        wait_listening(port, 10, "smtp-sink")

    def count(self):
        try:
            with open(self.out, "rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - 300))
                tail = f.read().decode("ascii", "replace")
        except OSError:
            return 0
        for part in reversed(tail.replace("\r", "\n").split("\n")):
            if "mesg=" in part:
                try:
                    return int(part.split("mesg=")[1].split()[0])
                except (IndexError, ValueError):
                    continue
        return 0


class Postfix:
    name = "postfix"

    def __init__(self, work, port, sink_port):
        self.base = os.path.join(work, "postfix")
        self.conf, self.queue, self.data = (os.path.join(self.base, d) for d in ("etc", "queue", "data"))
        self.port, self.sink_port = port, sink_port
        self.maillog = os.path.join(self.base, "maillog")

    def pf(self, *args, check=True):
        r = subprocess.run(["postfix", "-c", self.conf, *args], capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise Fail(f"postfix {' '.join(args)} failed: {r.stderr.strip()[-500:]}; see {self.maillog}")
        return r

    def start(self):
        for d in (self.conf, self.queue, self.data):
            os.makedirs(d, exist_ok=True)
        shutil.chown(self.data, "postfix")
        with open(os.path.join(BENCH, "postfix", "main.cf")) as f:
            main = f.read()
        with open(os.path.join(BENCH, "postfix", "master.cf")) as f:
            master = f.read()
        subst = {"@QUEUE@": self.queue, "@DATA@": self.data, "@MAILLOG@": self.maillog,
                 "@PORT@": str(self.port), "@SINK_PORT@": str(self.sink_port)}
        for k, v in subst.items():
            main, master = main.replace(k, v), master.replace(k, v)
        with open(os.path.join(self.conf, "main.cf"), "w") as f:
            f.write(main)
        with open(os.path.join(self.conf, "master.cf"), "w") as f:
            f.write(master)
        open(self.maillog, "w").close()
        self.pf("check")   # creates the queue subdirectories with the right owners
        self.pf("start")
        wait_listening(self.port, 30, "postfix")
        log(f"postfix {self.version()} on 127.0.0.1:{self.port} (master pid {self.master_pid()})")

    def version(self):
        return subprocess.run(["postconf", "-c", self.conf, "-h", "mail_version"], capture_output=True,
                              text=True).stdout.strip()

    def master_pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def roots(self):
        return [self.master_pid()]

    def jvm(self):
        return None

    def queued(self):
        n = 0
        for d in ("maildrop", "incoming", "active", "deferred", "hold"):
            for _, _, files in os.walk(os.path.join(self.queue, d)):
                n += len(files)
        return n

    def stop(self):
        pid = self.master_pid()
        if pid is None:
            return
        # the master stops its children; by pid, as 'postfix stop' would
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        if not wait_until(lambda: not os.path.exists(f"/proc/{pid}"), 30, 0.2):
            log(f"postfix master {pid} ignored TERM: KILL")
            os.kill(pid, signal.SIGKILL)


class Sluice:
    name = "sluice"

    def __init__(self, procs, work, port, sink_port, java_opts, extra_cfg=None, dist=DIST):
        """extra_cfg: deploy file name -> text, written after (and over) bench/sluice/*.cfg, same templating;
        dist: the installation to copy."""
        self.procs, self.home, self.dist = procs, os.path.join(work, "sluice"), dist
        self.port, self.sink_port, self.java_opts = port, sink_port, java_opts
        self.extra_cfg = extra_cfg or {}
        self.proc = None

    def start(self):
        if not os.path.isfile(os.path.join(self.dist, "bin", "sluice")):
            raise Fail(f"no distribution in {self.dist}: build it (bench/run.sh does when it is missing)")
        shutil.copytree(self.dist, self.home, symlinks=True)
        deploy = os.path.join(self.home, "deploy")
        for f in os.listdir(deploy):
            if f.endswith(".cfg"):
                os.remove(os.path.join(deploy, f))
        cfgs = {}
        for f in os.listdir(os.path.join(BENCH, "sluice")):
            with open(os.path.join(BENCH, "sluice", f)) as src:
                cfgs[f] = src.read()
        cfgs.update(self.extra_cfg)
        for f, text in cfgs.items():
            with open(os.path.join(deploy, f), "w") as dst:
                dst.write(text.replace("@PORT@", str(self.port)).replace("@SINK_PORT@", str(self.sink_port)))
        self.launch()

    def launch(self):
        """Starts the installation made by start() (again, after stop(): same spool, same configuration)."""
        self.http_port = free_port()
        env = dict(os.environ, SLUICE_HTTP_PORT=str(self.http_port), SLUICE_JAVA_OPTS=self.java_opts)
        self.proc = self.procs.start("sluice", [os.path.join(self.home, "bin", "sluice")], cwd=self.home,
                                     env=env, out=os.path.join(self.home, "console.out"))
        wait_listening(self.port, 120, "sluice")
        log(f"sluice on 127.0.0.1:{self.port} (pid {self.proc.pid}, SLUICE_JAVA_OPTS={self.java_opts})")

    def roots(self):
        return [self.proc.pid]

    def jvm(self):
        return self.proc.pid

    def queued(self):
        n = 0
        for _, _, files in os.walk(os.path.join(self.home, "spool", "q")):
            n += sum(1 for f in files if not f.endswith(".tmp"))
        return n

    def stop(self):
        if self.proc:
            self.procs.stop(self.proc, grace=60)
