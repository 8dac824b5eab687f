"""What the offline planner can be asked, grouped by area: the refusal message and the README.

:data:`AREAS` is the one table; :func:`help_text` renders it in the prose's language after
the reason for a refusal. Every example in it plans to a recipe (``tests/test_traps.py``
checks), and the README's "What the offline planner understands" lists the same examples.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AREAS", "Area", "help_text"]


@dataclass(frozen=True)
class Area:
    """One area of the catalog with its title and a few examples in each language."""

    title_en: str
    title_zh: str
    examples_en: tuple[str, ...]
    examples_zh: tuple[str, ...]


AREAS = (
    Area(
        "Exact mathematics (SymPy)",
        "精确数学（SymPy）",
        (
            "factorial of 100",
            "gcd of 1071 and 462",
            "is 2147483647 a prime?",
            "the 10001st prime",
            "the first 30 Fibonacci numbers",
            "pi to 50 digits",
            "sum of the digits of 2**1000",
            "sum of i**2 for i from 1 to 10**9",
            "solve x^2 - 5x + 6 = 0",
            "derivative of x^3*sin(x)",
            "indefinite integral of x*exp(x)",
            "sum of 1/k^2 for k from 1 to infinity",
            "trailing zeros of 100!",
            "what is 123 * 456",
        ),
        (
            "计算30的阶乘",
            "求84和126的最大公约数",
            "97是质数吗",
            "第100个质数",
            "求斐波那契数列前20项",
            "圆周率的前50位小数",
            "2的1000次方的各位数字之和",
            "解方程 x^2 - 5x + 6 = 0",
            "求x^2*exp(x)的导数",
            "100的阶乘末尾有几个0",
            "2的10次方减1",
        ),
    ),
    Area(
        "Counting and divisors (SymPy)",
        "排列组合与因数（SymPy）",
        (
            "52 choose 5",
            "how many ways can 8 people sit in a row",
            "prime factorization of 360",
            "divisors of 28",
            "lcm of 1 to 20",
            "how many 5-card hands from a standard deck",
        ),
        (
            "从52张牌中取5张的组合数",
            "5个人排成一排有多少种排法",
            "360分解质因数",
            "28的所有因数",
            "从一副扑克牌中抽5张有多少种组合",
        ),
    ),
    Area(
        "Matrices (SymPy, NumPy)",
        "矩阵（SymPy、NumPy）",
        (
            "determinant of [[2, 1], [1, 3]]",
            "multiply [[1, 2], [3, 4]] by [[5, 6], [7, 8]]",
            "trace of the 10x10 identity matrix",
            "rank of [[1, 2], [2, 4]]",
            "eigenvalues of [[2, 1], [1, 2]]",
        ),
        (
            "矩阵 [[1,2],[3,4]] 乘以 [[5,6],[7,8]] 等于多少",
            "3阶单位矩阵的行列式",
            "[[4, 7], [2, 6]] 的逆矩阵",
        ),
    ),
    Area(
        "Primes over a range",
        "区间内的质数",
        (
            "list the primes below 10000",
            "how many primes are there below 1e6",
            "sum of all primes below 2 million",
            "twin primes below 1000",
            "the smallest prime bigger than a million",
        ),
        (
            "计算10000以内的所有质数",
            "100万以内有多少个质数",
            "求两百万以内所有质数的和",
            "比一百万大的最小质数",
        ),
    ),
    Area(
        "Sums, means and integrals",
        "求和、平均值与积分",
        ("mean of sqrt(i) for i from 1 to 10**6", "integrate sin(x) from 0 to pi"),
        ("1到100的平方和", "计算x^2从0到1的积分"),
    ),
    Area(
        "Simulations",
        "模拟",
        (
            "estimate pi with 1e6 Monte Carlo samples",
            "simulate 10000 coin flips and count the heads",
            "roll two dice 1e5 times, what fraction add up to 7",
            "random walk of 1000 steps, where does it end",
            "median of 1e6 exponential samples with scale 3",
            "90th percentile of 100000 standard normal samples",
            "determinant of a random 4x4 matrix",
            "longest Collatz chain below 1e6",
            "Mandelbrot set on a 400x300 grid",
        ),
        (
            "用蒙特卡洛方法估计圆周率，100万个样本",
            "同时抛三枚硬币，模拟十万次，估计三枚全是正面的概率",
            "一万个均匀分布随机数的90%分位数",
            "两个500x500随机矩阵相乘后求迹",
            "100万以内最长的考拉兹链",
        ),
    ),
    Area(
        "Your notebook's values",
        "笔记本里的变量",
        (
            "how many primes are there below limit?",
            "the mean of values",
            "sort values in descending order",
            "factorial of n",
            "apply f to data and take the max",
            "evaluate f at 7",
            "how many even numbers are in data",
            "bootstrap a 95% CI of the mean of samples",
            "correlation of xs and ys",
        ),
        (
            "limit以内有多少个质数",
            "values的平均值",
            "把 values 从小到大排序",
            "对data里的每个元素调用f，求和",
            "f 在 x=2 处的值",
            "data 里面有几个偶数",
            "xs 和 ys 的相关系数",
        ),
    ),
    Area(
        "Machine learning (scikit-learn)",
        "机器学习（scikit-learn）",
        (
            "grid search an SVC on digits with C in [0.1, 1, 10]",
            "5-fold cross-validation of a random forest on wine",
            "tune max_depth of a decision tree on wine, max_depth in 2,4,8",
            "cross-validated r2 of a GradientBoostingRegressor on diabetes",
            "k-means elbow on iris",
            "k-means on digits for k from 2 to 10, best k by silhouette",
            "k-means with 3 clusters on iris, adjusted Rand index",
            "train logistic regression on breast cancer and give me the test accuracy",
            "accuracy of naive bayes on iris",
        ),
        (
            "在digits数据集上对SVC做网格搜索，C取0.1、1、10",
            "在wine上对随机森林做5折交叉验证",
            "岭回归在diabetes上5折交叉验证的决定系数",
            "在iris数据集上做k均值聚类，k从2到6，用轮廓系数选最好的k",
            "对鸢尾花数据做k-means聚成3类，求轮廓系数",
            "在手写数字数据集上训练一个支持向量机，测试集准确率多少",
        ),
    ),
    Area(
        "Plots (matplotlib)",
        "画图（matplotlib）",
        (
            "plot sin(x) from 0 to 2*pi",
            "plot a histogram of 10000 normal samples",
            "plot values",
            "plot the first 20 Fibonacci numbers",
            "scatter plot of 200 random points",
            "roll a die 1000 times and plot how often each face comes up",
            "histogram of the price column in sales.csv",
            "scatter plot of x^2 for x from 1 to 10",
            "scatter plot of ys against xs",
        ),
        (
            "画出x^2在-5到5之间的图像",
            "画一个直方图，10000个均匀分布的随机数",
            "把values画成折线图",
            "画一个前20个斐波那契数的折线图",
            "把sales.csv里每个region的units总和画成柱状图",
            "画一下 cos(x) 在 -π 到 π 之间的图像",
            "用 xs 和 ys 画散点图",
        ),
    ),
    Area(
        "Files",
        "文件",
        (
            "average price by region in sales.csv",
            "how many rows are there for each region in sales.csv",
            "the largest units in sales.csv",
            "count the lines in all *.py files",
            "word count of the *.md files",
            "how many columns does sales.csv have",
        ),
        (
            "sales.csv里units列的总和",
            "sales.csv里每个region分别有多少行",
            "sales.csv 一共有多少行数据",
            "统计所有*.md文件的字数",
        ),
    ),
)


def help_text(lang: str, reason: str) -> str:
    """The refusal message: what happened, what can be asked by area, how to connect an LLM."""
    if lang == "zh":
        groups = "\n".join(f"  {a.title_zh}：" + "；".join(a.examples_zh) for a in AREAS)
        return (
            f"{reason}\n\n离线规划器能处理这些计算任务：\n{groups}\n\n"
            "其他问题请连接一个大模型（任何兼容OpenAI的接口）：\n"
            '  %config AskMagics.base_url = "http://localhost:11434/v1"\n'
            "或设置环境变量 OPENAI_BASE_URL 和 OPENAI_API_KEY。"
        )
    groups = "\n".join(f"  {a.title_en}: " + "; ".join(a.examples_en) for a in AREAS)
    return (
        f"{reason}\n\nThe offline planner can plan compute tasks such as:\n{groups}\n\n"
        "For anything else, connect an LLM (any OpenAI-compatible endpoint):\n"
        '  %config AskMagics.base_url = "http://localhost:11434/v1"\n'
        "or set the environment variables OPENAI_BASE_URL and OPENAI_API_KEY."
    )
