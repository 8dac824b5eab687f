"""The tables the safety policy reads: its rules, and the names, paths and calls it refuses.

Data only. Qualified names in the tables are canonical (``_lookup.canonical``):
``posix``/``nt`` are spelled ``os``, ``io.open`` is ``builtins.open``, every pathlib class
is ``pathlib.Path``. :mod:`._lookup` answers questions of them (is a name refused, which
credential store a path names), :mod:`._writes` judges writes with them, and
:mod:`._checker` and :mod:`._bindings` read the rest directly.
"""

from __future__ import annotations

import re

from ._records import HOLE, CredentialStore, WriteSpec

RULES: dict[str, tuple[str, str]] = {
    "process": (
        "runs a shell command or starts, forks or signals a process",
        "运行 shell 命令，或启动、分叉进程、向进程发信号",
    ),
    "file-write": (
        "writes, moves or deletes a file that may lie outside the working directory",
        "写入、移动或删除的文件可能在工作目录之外",
    ),
    "network": ("reaches the network", "访问网络"),
    "dynamic-code": (
        "runs code built at run time or reaches interpreter internals",
        "运行运行时拼出的代码，或触及解释器内部",
    ),
    "native-code": ("loads native code", "加载本机代码"),
    "secrets": (
        "reads secrets from the environment, a credential file or a keyring",
        "从环境变量、凭据文件或密钥环读取密钥",
    ),
    "kernel-exit": ("would stop the kernel", "会终止内核"),
}

SNIPPET_MAX = 80


PROCESS, FILE_WRITE, NETWORK, DYNAMIC, NATIVE, SECRETS, KERNEL_EXIT = (
    "process",
    "file-write",
    "network",
    "dynamic-code",
    "native-code",
    "secrets",
    "kernel-exit",
)

#: Modules refused whole: importing them, or touching anything inside, is a finding.
DENY_MODULES: dict[str, str] = {
    **dict.fromkeys(
        [
            "subprocess",
            "_posixsubprocess",
            "pty",
            "pexpect",
            "sh",
            "plumbum",
            "webbrowser",
            "IPython.utils.process",
            "multiprocessing.popen_fork",
            "multiprocessing.popen_spawn_posix",
            "multiprocessing.popen_forkserver",
            "multiprocessing.popen_spawn_win32",
        ],
        PROCESS,
    ),
    **dict.fromkeys(
        [
            "socket",
            "_socket",
            "ssl",
            "socketserver",
            "urllib.request",
            "urllib.robotparser",
            "urllib2",
            "urllib3",
            "http.client",
            "http.server",
            "requests",
            "httpx",
            "aiohttp",
            "ftplib",
            "smtplib",
            "telnetlib",
            "poplib",
            "imaplib",
            "nntplib",
            "xmlrpc",
            "websocket",
            "websockets",
            "paramiko",
            "asyncssh",
            "fabric",
            "pycurl",
            "grpc",
            "zmq",
            "openai",
            "anthropic",
            "boto3",
            "botocore",
            "huggingface_hub",
            "pip",
            "ensurepip",
            "logging.handlers",
        ],
        NETWORK,
    ),
    **dict.fromkeys(
        [
            "runpy",
            "code",
            "codeop",
            "marshal",
            "dill",
            "cloudpickle",
            "shelve",
            "jsonpickle",
            "importlib.util",
            "importlib.machinery",
            "importlib._bootstrap",
            "importlib._bootstrap_external",
            "zipimport",
            "pydoc",
            "logging.config",
            "pdb",
            "bdb",
        ],
        DYNAMIC,
    ),
    **dict.fromkeys(["ctypes", "_ctypes", "cffi", "numpy.ctypeslib"], NATIVE),
    # keyrings, and readers whose only job is to load ~/.netrc or a .env file
    **dict.fromkeys(["keyring", "secretstorage", "win32cred", "netrc", "dotenv"], SECRETS),
}

#: Single names refused on any reference.
DENY_NAMES: dict[str, str] = {
    **dict.fromkeys(
        [
            "os.system",
            "os.popen",
            "os.fork",
            "os.forkpty",
            "os.kill",
            "os.killpg",
            "os.startfile",
            "os.plock",
            "signal.signal",
            "signal.alarm",
            "signal.setitimer",
            "signal.raise_signal",
            "signal.pthread_kill",
            "signal.pidfd_send_signal",
            "signal.siginterrupt",
            "multiprocessing.Process",
            "multiprocessing.process.BaseProcess",
            "multiprocessing.context.Process",
            "multiprocessing.context.SpawnProcess",
            "multiprocessing.context.ForkProcess",
            "multiprocessing.context.ForkServerProcess",
            "asyncio.create_subprocess_exec",
            "asyncio.create_subprocess_shell",
            "asyncio.subprocess",
        ],
        PROCESS,
    ),
    **dict.fromkeys(
        [
            "asyncio.open_connection",
            "asyncio.start_server",
            "asyncio.open_unix_connection",
            "asyncio.start_unix_server",
            "seaborn.load_dataset",
            "nltk.download",
            "datasets.load_dataset",
            "logging.config.listen",
        ],
        NETWORK,
    ),
    **dict.fromkeys(
        [
            "builtins.eval",
            "builtins.exec",
            "builtins.compile",
            "builtins.globals()",
            "pickle.load",
            "pickle.loads",
            "pickle.Unpickler",
            "_pickle.load",
            "_pickle.loads",
            "_pickle.Unpickler",
            "joblib.load",
            "pandas.read_pickle",
            "sys.modules",
            "sys.meta_path",
            "sys.path_hooks",
            "sys.path_importer_cache",
            "sys._getframe",
            "sys.path.append",
            "sys.path.insert",
            "sys.path.extend",
            "site.addsitedir",
            "inspect.currentframe",
            "inspect.stack",
            "inspect.trace",
            "inspect.getouterframes",
            "inspect.getinnerframes",
            "gc.get_objects",
            "gc.get_referrers",
            "gc.get_referents",
            "pkgutil.resolve_name",
            "importlib.reload",
            "IPython.get_ipython",
            "IPython.core.getipython.get_ipython",
            "cProfile.run",
            "cProfile.runctx",
            "profile.run",
            "profile.runctx",
            "yaml.unsafe_load",
            "yaml.unsafe_load_all",
            "builtins.__builtins__",
        ],
        DYNAMIC,
    ),
    **dict.fromkeys(["sys.exit", "os._exit", "os.abort", "_thread.interrupt_main"], KERNEL_EXIT),
}

#: Prefixes of qualified names refused on any reference.
DENY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("os.exec", PROCESS),
    ("os.spawn", PROCESS),
    ("os.posix_spawn", PROCESS),
    ("sklearn.datasets.fetch_", NETWORK),
    ("faulthandler._", KERNEL_EXIT),
)

#: Refused only when called (a reference alone, e.g. in ``isinstance``, is fine).
DENY_CALLS: dict[str, str] = {
    "types.FunctionType": DYNAMIC,
    "types.CodeType": DYNAMIC,
    "types.LambdaType": DYNAMIC,
    "builtins.exit": KERNEL_EXIT,
    "builtins.quit": KERNEL_EXIT,
}

#: Attribute names refused on any object: they only exist on event loops.
DENY_ATTRS: dict[str, str] = {
    "subprocess_exec": PROCESS,
    "subprocess_shell": PROCESS,
    "create_connection": NETWORK,
    "create_server": NETWORK,
    "create_datagram_endpoint": NETWORK,
    "create_unix_connection": NETWORK,
    "create_unix_server": NETWORK,
    "sock_connect": NETWORK,
}

#: Attributes that open the interpreter's internals (escape routes to builtins and modules).
DUNDERS = frozenset(
    [
        "__builtins__",
        "__dict__",
        "__subclasses__",
        "__globals__",
        "__code__",
        "__closure__",
        "__bases__",
        "__base__",
        "__mro__",
        "__getattribute__",
        "__reduce__",
        "__reduce_ex__",
        "__loader__",
        "__spec__",
        "__import__",
        "__self__",
        "__func__",
        "__kwdefaults__",
        "__defaults__",
        "f_globals",
        "f_locals",
        "f_builtins",
        "f_back",
        "f_code",
        "tb_frame",
        "gi_frame",
        "gi_code",
        "cr_frame",
        "cr_code",
        "ag_frame",
        "ag_code",
    ]
)

#: Modules whose objects reach refused names; using one as a plain value hides the call.
SENSITIVE_MODULES = frozenset(
    [
        "os",
        "sys",
        "builtins",
        "shutil",
        "signal",
        "importlib",
        "codecs",
        "pickle",
        "_pickle",
        "asyncio",
        "multiprocessing",
        "gc",
        "inspect",
        "types",
        "pathlib",
        "tarfile",
        "zipfile",
        "_thread",
    ]
)

#: Modules that other packages import and so expose as attributes (``pandas.io.common.os``).
REEXPORTED = frozenset(
    [
        "os",
        "sys",
        "subprocess",
        "shutil",
        "builtins",
        "socket",
        "ctypes",
        "pickle",
        "importlib",
        "multiprocessing",
        "posix",
    ]
)
CANONICAL_MODULES = {
    "posix": "os",
    "nt": "os",
    "io": "builtins",
    "_io": "builtins",
    "__builtin__": "builtins",
}
CANONICAL_NAMES = {
    "builtins.FileIO": "builtins.open",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "pathlib.PurePath": "pathlib.Path",
    "pathlib.PurePosixPath": "pathlib.Path",
    "pathlib.PureWindowsPath": "pathlib.Path",
}

#: Builtins the policy needs to see through a bare name (``eval``, ``open``...).
BUILTINS = frozenset(
    [
        "eval",
        "exec",
        "compile",
        "__import__",
        "open",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "globals",
        "locals",
        "vars",
        "exit",
        "quit",
        "SystemExit",
        "KeyboardInterrupt",
        "__builtins__",
    ]
)
#: Builtins that a binding of the same name in the snippet shadows (a variable ``exit``).
SHADOWABLE = frozenset(["exit", "quit"])

IMPORTERS = frozenset(["builtins.__import__", "importlib.import_module", "importlib.__import__"])
ATTR_FUNCS = frozenset(
    ["builtins.getattr", "builtins.setattr", "builtins.delattr", "builtins.hasattr"]
)
ENV = ("os.environ", "os.environb")
ENV_GETTERS = frozenset(
    [
        "os.getenv",
        "os.getenvb",
        "os.environ.get",
        "os.environ.pop",
        "os.environ.setdefault",
        "os.environb.get",
        "os.environb.pop",
        "os.environb.setdefault",
    ]
)
ENV_WRITERS = frozenset(["os.environ.update", "os.putenv", "os.unsetenv"])
SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL", re.IGNORECASE)
URL = re.compile(r"^\s*(https?|ftps?|s3|gs|gcs|az|abfs|hdfs|sftp|ssh|ws|wss)://", re.I)

#: File extensions a write must not create even inside the working directory: importable
#: or runnable code (written, then imported) and the user's own notebooks.
CODE_EXTS = (
    ".py",
    ".pyw",
    ".pyc",
    ".pyo",
    ".pyd",
    ".so",
    ".dll",
    ".dylib",
    ".pth",
    ".ipy",
    ".ipynb",
    ".sh",
    ".bash",
    ".zsh",
    ".bat",
    ".cmd",
    ".ps1",
)


_store = CredentialStore.matching
_X = rf"[^/{HOLE}]*"  # the rest of one component
#: Credential stores, matched in order against a path built from literals (``\\`` read as
#: ``/``, repeated slashes collapsed, ``~`` and ``Path.home()`` kept as ``~``).
CREDENTIAL_STORES: tuple[CredentialStore, ...] = (
    _store(r"id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?", "an SSH private key", "SSH 私钥"),
    _store(
        r"\.ssh", "the SSH folder (keys, known hosts, config)", "SSH 目录（密钥、已知主机、配置）"
    ),
    _store(r"\.aws", "the AWS credentials folder", "AWS 凭据目录"),
    _store(r"[._]netrc", "a .netrc file of login passwords", "保存登录密码的 .netrc 文件"),
    _store(r"\.docker/config\.json", "Docker's registry credentials", "Docker 镜像仓库凭据"),
    _store(r"\.kube/config", "a kubeconfig with cluster credentials", "含集群凭据的 kubeconfig"),
    _store(rf"\.env(?:\.{_X})?", "a .env file of secrets", "存放密钥的 .env 文件"),
    _store(r"etc/g?shadow-?", "the system's password hashes", "系统的密码哈希文件"),
    _store(r"\.local/share/keyrings|Library/Keychains", "a keyring", "密钥环"),
    _store(r"\.gnupg", "GnuPG's private keys", "GnuPG 私钥"),
    _store(
        r"\.git-credentials|\.pgpass|\.pypirc|\.config/gcloud|\.azure",
        "a tool's saved credentials",
        "工具保存的凭据",
    ),
    _store(
        r"\.mozilla/firefox|\.config/(?:google-chrome|chromium|BraveSoftware|"
        rf"microsoft-edge){_X}|Library/Application Support/(?:Google/Chrome|Firefox|"
        r"BraveSoftware|Microsoft Edge)|AppData/(?:Local|Roaming)/(?:Google/Chrome|"
        r"Mozilla/Firefox|Microsoft/Edge|BraveSoftware)",
        "a browser profile (saved passwords, cookies)",
        "浏览器配置文件（保存的密码、Cookie）",
    ),
    _store(
        r"key[34]\.db|(?:cookies|signons)\.sqlite",
        "a browser's password or cookie store",
        "浏览器的密码或 Cookie 库",
    ),
    # names that could be data count only as a file in a folder ("Login Data" may be a
    # column), the most generic only in a profile folder (so may "Cookies")
    _store(
        rf"{_X}/(?:Login|Web) Data",
        "a browser's password or cookie store",
        "浏览器的密码或 Cookie 库",
    ),
    _store(
        rf"(?:Default|Profile [0-9]+|{_X}\.default(?:-{_X})?)/(?:Cookies|logins\.json)",
        "a browser's password or cookie store",
        "浏览器的密码或 Cookie 库",
    ),
)


#: Calls that join their arguments into one path (``Path("~", ".ssh")``, ``os.path.join``).
PATH_JOINS = frozenset(["pathlib.Path", "os.path.join"])
#: Calls that return the path of their first argument, expanded or normalised.
PATH_SAME = frozenset(
    [
        "os.path.expanduser",
        "os.path.expandvars",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.fspath",
    ]
)
#: Methods that return the path they are called on, expanded or normalised.
PATH_SAME_METHODS = frozenset(["expanduser", "resolve", "absolute"])
PATH_HOMES = frozenset(["pathlib.Path.home", "pathlib.Path().home"])


_w = WriteSpec.of
_FIRST = _w((0, "path"))
_OPEN = _w((0, "file"), mode=(1, "mode"))
WRITES: dict[str, WriteSpec] = {
    "builtins.open": _OPEN,
    "codecs.open": _w((0, "filename"), mode=(1, "mode")),
    "gzip.open": _w((0, "filename"), mode=(1, "mode")),
    "bz2.open": _OPEN,
    "lzma.open": _OPEN,
    "gzip.GzipFile": _w((0, "filename"), mode=(1, "mode")),
    "tarfile.open": _w((0, "name"), mode=(1, "mode")),
    "tarfile.TarFile": _w((0, "name"), mode=(1, "mode")),
    "zipfile.ZipFile": _w((0, "file"), mode=(1, "mode")),
    "os.open": WriteSpec(((0, "path"),), (1, "flags"), flags=True),
    "shutil.rmtree": _FIRST,
    "shutil.move": _w((0, "src"), (1, "dst")),
    "shutil.copy": _w((1, "dst")),
    "shutil.copy2": _w((1, "dst")),
    "shutil.copyfile": _w((1, "dst")),
    "shutil.copytree": _w((1, "dst")),
    "shutil.copymode": _w((1, "dst")),
    "shutil.copystat": _w((1, "dst")),
    "shutil.chown": _FIRST,
    "shutil.make_archive": _w((0, "base_name")),
    "shutil.unpack_archive": _w((0, "filename"), (1, "extract_dir")),
    "os.remove": _FIRST,
    "os.unlink": _FIRST,
    "os.rmdir": _FIRST,
    "os.removedirs": _w((0, "name")),
    "os.rename": _w((0, "src"), (1, "dst")),
    "os.renames": _w((0, "old"), (1, "new")),
    "os.replace": _w((0, "src"), (1, "dst")),
    "os.truncate": _FIRST,
    "os.chmod": _FIRST,
    "os.lchmod": _FIRST,
    "os.chown": _FIRST,
    "os.lchown": _FIRST,
    "os.chflags": _FIRST,
    "os.link": _w((0, "src"), (1, "dst")),
    "os.symlink": _w((0, "src"), (1, "dst")),
    "os.mkdir": _FIRST,
    "os.makedirs": _w((0, "name")),
    "os.mkfifo": _FIRST,
    "os.mknod": _FIRST,
    "os.utime": _FIRST,
    "os.chdir": _FIRST,
    "os.chroot": _FIRST,
    "os.fchdir": _w((0, "fd")),
    "os.setxattr": _FIRST,
    "os.removexattr": _FIRST,
    "numpy.save": _w((0, "file")),
    "numpy.savez": _w((0, "file")),
    "numpy.savez_compressed": _w((0, "file")),
    "numpy.savetxt": _w((0, "fname")),
    "numpy.memmap": _w((0, "filename"), mode=(2, "mode"), default="r+"),
    "numpy.lib.format.open_memmap": _w((0, "filename"), mode=(1, "mode"), default="r+"),
    "joblib.dump": _w((1, "filename")),
    "torch.save": _w((1, "f")),
    "pandas.ExcelWriter": _w((0, "path")),
    "pandas.HDFStore": _w((0, "path"), mode=(1, "mode"), default="a"),
    "sqlite3.connect": _w((0, "database")),
    "matplotlib.pyplot.imsave": _w((0, "fname")),
}
#: Methods that write to the path in their first argument, whatever the object.
WRITE_METHODS = frozenset(
    [
        "tofile",
        "savefig",
        "to_csv",
        "to_excel",
        "to_json",
        "to_parquet",
        "to_pickle",
        "to_hdf",
        "to_feather",
        "to_stata",
        "to_html",
        "to_latex",
        "to_markdown",
        "to_xml",
        "to_orc",
        "to_string",
        "to_netcdf",
        "to_zarr",
        "write_html",
        "write_image",
    ]
)
#: The keywords those methods take their target by.
TARGET_KWARGS = frozenset(
    [
        "path",
        "path_or_buf",
        "path_or_buffer",
        "excel_writer",
        "buf",
        "fname",
        "file",
        "filename",
        "fid",
        "store",
    ]
)
#: pathlib methods that write or delete the path they are called on.
PATH_SELF_WRITES = frozenset(
    ["write_text", "write_bytes", "unlink", "rmdir", "touch", "mkdir", "symlink_to", "hardlink_to"]
)
#: pathlib methods that write only when the object is known to be a path.
PATH_KNOWN_WRITES = frozenset(["rename", "replace", "chmod", "lchmod", "open"])
PATH_CTORS = frozenset(["pathlib.Path"])
READ_FLAGS = frozenset(
    [
        "O_RDONLY",
        "O_CLOEXEC",
        "O_BINARY",
        "O_NOFOLLOW",
        "O_DIRECTORY",
        "O_NONBLOCK",
        "O_NOCTTY",
        "O_PATH",
        "O_NOATIME",
        "O_NOINHERIT",
    ]
)


COMPUTED = (
    "the target is computed at run time, so it cannot be checked; only a literal relative "
    "path inside the working directory is allowed",
    "目标路径在运行时才算出，无法检查；只允许工作目录内的字面相对路径",
)
