"""What the offline planner reads before it matches: requests it refuses outright, and cues.

:data:`NEGATIVE_EXAMPLES` are the catalog's *reject* phrasings (chit-chat, weather, poems,
concept questions): prose nearest to one of them is refused. :data:`DESTRUCTIVE` and
:data:`CONCEPT` refuse before any matching; :data:`FOLLOWUP` and :data:`REPEAT` tell a
follow-up ("now do it for 1e7") from a request that stands on its own.
"""

from __future__ import annotations

import re

from ._lazy import lazy

__all__ = ["CONCEPT", "DATA", "DESTRUCTIVE", "FOLLOWUP", "NEGATIVE_EXAMPLES", "NETWORK", "REPEAT"]

#: Phrasings the matcher learns to refuse (chit-chat, concept questions, other domains).
NEGATIVE_EXAMPLES = (
    "hello",
    "hi there, how are you",
    "thanks a lot",
    "good morning",
    "who are you",
    "what's the weather like today",
    "will it rain tomorrow in beijing",
    "write me a poem about the sea",
    "tell me a joke",
    "sing a song",
    "what is a prime number",
    "explain what monte carlo methods are",
    "what is cross validation",
    "who invented the mandelbrot set",
    "why is the collatz conjecture hard",
    "recommend a good movie",
    "translate this sentence into french",
    "what time is it",
    "how do i install python",
    "book a flight to tokyo",
    "open my email",
    "summarize this article",
    "what is the capital of france",
    "你好",
    "谢谢你",
    "早上好",
    "你是谁",
    "今天天气怎么样",
    "明天会下雨吗",
    "给我写一首关于春天的诗",
    "讲个笑话",
    "唱首歌",
    "什么是质数",
    "解释一下蒙特卡洛方法",
    "交叉验证是什么意思",
    "推荐一部好看的电影",
    "把这句话翻译成英文",
    "现在几点了",
    "怎么安装python",
    "帮我订一张去上海的机票",
    "法国的首都是哪里",
    "总结一下这篇文章",
)

#: Requests that delete, change or stop something: refused before any matching.
DESTRUCTIVE = re.compile(
    r"\b(?:delete|deleting|remove|removing|erase|wipe|destroy|shred|unlink|rmdir|format|"
    r"formatting|kill|killall|pkill|terminate|shut\s*down|shutdown|reboot|restart|overwrite|"
    r"truncate|uninstall|purge|chmod|chown|sudo|mkfs|dd\s+if)\b|\brm\s|\brm$|"
    r"\bdrop\s+(?:table|database)|\bmove\s+(?:all|the|my|every|these|those|files?)|"
    r"\brename\s+(?:all|the|my|every|files?)|\bempty\s+(?:the|my)\s+(?:trash|bin|folder)|"
    r"删除|删掉|删了|移除|清空|清除|格式化|杀掉|杀死|杀进程|结束进程|终止进程|关机|重启|覆盖|"
    r"重命名|改名|卸载|销毁|抹掉|擦除|粉碎|清理磁盘",
    re.IGNORECASE | re.ASCII,
)
#: Requests that need the network or another person (the web, e-mail, messages): refused
#: before any matching, whatever recipe words they hold ("search the web for the accuracy
#: of svm on iris" is no grid search).
NETWORK = re.compile(
    r"\b(?:search|look\s+up|browse|check|find|google)\b.{0,30}\b(?:web|internet|online)\b|"
    r"\bon\s+the\s+(?:web|internet)\b|\bonline\b|\bgoogle\b|\be-?mail\b|\bsend\b|"
    r"\bdownload\b|\bupload\b|https?://|\bwww\.|\btweet\b|\bpost\s+(?:it|this|on)\b|"
    r"上网(?:查|搜|找)|(?<!集)网上|在网上|互联网|百度|谷歌|网页|发邮件|邮件|发送|下载|上传|发给|微信",
    re.IGNORECASE | re.ASCII,
)
#: Questions about a concept ("what is a prime number?"): nothing to compute.
CONCEPT = re.compile(
    r"^\s*(?:what\s+(?:is|are|'s|does|do)\b|what's\b|whats\b|explain|define|definition|"
    r"describe|tell me about|how does|how do|why|who|when|meaning of)|"
    r"什么是|是什么|啥是|解释|介绍一下|含义|定义|为什么|为何|怎么理解|原理|是谁",
    re.IGNORECASE | re.ASCII,
)
#: A prose about a table ("whats the smallest value in the amount column?") is no concept
#: question, whatever it starts with.
DATA = lazy(r"[A-Za-z0-9_\-]\.(?:csv|xlsx|xls)\b|\bcolumns?\b|列", re.IGNORECASE | re.ASCII)
#: Cues that a prose continues the previous task ("now do it for 1e7", "再算到一百万").
FOLLOWUP = lazy(
    r"^\s*(?:now|and|ok|okay|then|so|what about|how about|same|try|also)\b|"
    r"\b(?:instead|again|this time|same thing|do it|redo|rerun|re-run|repeat|what about|"
    r"how about)\b|再|换成|改成|改为|换为|那|呢|同样|重新|也|改用|换用",
    re.IGNORECASE | re.ASCII,
)
#: Cues that the previous task is to run again unchanged.
REPEAT = lazy(
    r"\b(?:again|rerun|re-run|repeat)\b|再来一次|再运行|重新运行|再跑", re.IGNORECASE | re.ASCII
)
