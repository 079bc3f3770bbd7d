"""Title ends in flattened text (planparse.structure.titles) and the warning their doubt raises."""

from __future__ import annotations

from planparse.structure import titles
from planparse.structure.headings import _find_warnings, _Tally


def test_window_stops_at_the_next_label_a_box_or_a_line_break() -> None:
    text = "发展基础第一节主要成效大气环境持续改善。"
    assert titles.window(text, 0, len(text)) == (4, True)  # 第一节 opens the next heading
    text = "主要任务专栏3重点工程"
    assert titles.window(text, 0, len(text)) == (4, True)
    text = "主要任务持续推进"
    assert titles.window(text, 0, len(text), breaks={4}) == (4, True)
    assert titles.window("主要任务" * 20, 0, 80, kind="section") == (40, False)
    assert titles.window("主要任务" * 20, 0, 80, kind="outline1") == (60, False)


def test_a_numeral_that_ends_a_word_is_no_label_the_title_stops_at() -> None:
    # 坚持安全第一、预防为主; 建立城乡统一、重在农村的: 一、 ends a word (第一, 统一), it opens no
    # heading, so the window runs on (it stopped there, and the layout then "decided" the title:
    # 提高安全生产水平坚持安全第, the 十一五 outline's flattened variants)
    for text in ("提高安全生产水平坚持安全第一、预防为主，综合治理", "加快基本公共教育均衡发展建立城乡统一、重在农村的"):
        stop, structural = titles.window(text, 0, len(text), kind="section")
        assert not structural and stop == len(text)
    text = "总体要求一、指导思想"  # a label after a title's last word still stops it
    assert titles.window(text, 0, len(text)) == (4, True)


def test_a_title_the_layout_bounds_is_decided_without_the_model() -> None:
    text = "发展基础第一节主要成效"
    stop, structural = titles.window(text, 0, len(text))
    [end] = titles.decode(text, [titles.TitleQuery(0, stop, "chapter", structural)])
    assert (end.end, end.probability, end.sure) == (4, 1.0, True)


def test_candidate_ends_respect_punctuation() -> None:
    text = "稳增长调结构，经济运行持续向好。2013年，面对"
    ends = list(titles.candidate_ends(text, 0, len(text)))
    assert ends and max(ends) == text.index("。")  # a sentence end closes the title
    assert text.index("，") not in ends  # the text after a title never opens with a comma
    quoted = "建设“中国绿色硅谷”，做强产业"
    assert all(titles._balanced(quoted[:end]) for end in titles.candidate_ends(quoted, 0, len(quoted)))


def test_rate_bands_need_enough_occurrences_and_rise_with_the_rate() -> None:
    assert titles.rate_bucket(1, titles.MIN_RATE_COUNT - 1) is None
    bands = [titles.rate_bucket(boundaries, 100) for boundaries in (0, 2, 10, 40, 90)]
    assert bands == sorted(bands) and bands[0] != bands[-1]


def test_shipped_boundary_rates_know_where_running_text_ends() -> None:
    rates = titles.boundary_rates()
    # 回顾 ends lines (工作回顾) far more often than 进一 (进一步) ends anything.
    assert (rates.bucket("end", "回顾") or 0) > (rates.bucket("end", "进一") or 0)
    # a pair not stored backs off to its character
    assert rates.bucket("end", "\uffff顾") == rates.bucket("end", "顾")


def test_titles_of_a_flattened_document_decoded_together() -> None:
    """Hand-made text in the shape of tests/cases/toc_lists_only_parts_and_chapters (not from the
    corpus): each section title is followed by its paragraph, with no line break."""
    text = ("第一节发展基础“十三五”时期，全市地区生产总值突破3000亿元，产业结构持续优化。"
            "第二节面临挑战外部环境更趋复杂，产业转型升级任务艰巨，民生领域仍有不少短板。"
            "第三节建设创新平台布局建设一批重点实验室和工程研究中心，争创国家级创新平台。")
    truth = ["发展基础", "面临挑战", "建设创新平台"]
    _, ends, found = _decode_titles(text, truth, "section")
    right = [title == wanted for title, wanted in zip(found, truth, strict=True)]
    assert sum(right) >= 2, found
    # never silent: a title the model got wrong is one it is not sure of (建设创新平台|布局建设…)
    assert all(ok or not end.sure for ok, end in zip(right, ends, strict=True)), found


def test_doubt_over_many_titles_is_said_even_when_each_is_likely_right() -> None:
    tally = _Tally(title_doubt=[(0.1, offset) for offset in range(0, 60, 10)])  # six titles at 0.9
    [warning] = _find_warnings([], [], 0, tally)
    assert warning.code == "heading_title_uncertain"
    assert "about 0.6 may end in the wrong place" in warning.message
    assert not _find_warnings([], [], 0, _Tally(title_doubt=[(0.05, 0), (0.05, 10)]))


def test_a_title_the_body_repeats_ends_before_the_repeat() -> None:
    """Hand-made, in a communiqué's shape: short titles, then the body's headline repeats their
    words (环境保护|环境保护事业加快发展。, 医药|医药行业要…). A title ends before the repeat; read into
    it, it would hold its own words twice (环境保护环境保护事业: it was read so before the
    inner_restart and inner_repeat_whole features)."""
    text = ("一、综合全年经济运行总体平稳，国内生产总值比上年增长百分之八。"
            "二、金融金融市场运行总体平稳。年末广义货币供应量余额比上年末增长百分之十二。"
            "三、环境保护环境保护事业加快发展。全年新增自然保护区二十个，城市空气质量继续改善。"
            "四、医药医药行业要继续坚持质量第一的方针，努力提高药品的疗效，积极调整产品结构。"
            "五、人口年末全国总人口比上年末增加六百万人。")
    truth = ["综合", "金融", "环境保护", "医药", "人口"]
    queries, ends, found = _decode_titles(text, truth, "outline1")
    assert [found[0], found[2], found[3]] == ["综合", "环境保护", "医药"], found
    # 金融金融市场运行总体平稳 is still read whole: the model is not sure of it
    assert found[1] == "金融" or not ends[1].sure, found
    start = queries[2].start
    names = titles.features(text, start, start + 8, "outline1", titles.word_ends(text, start, queries[2].stop))
    assert "inner_restart:outline" in names and "inner_repeat_whole:outline" in names


class _Lexicon:
    """Boundary rates that know nothing but a few titles (a lexicon of its own, not the shipped one)."""

    def __init__(self, known: dict[str, int], longer: dict[str, int] | None = None) -> None:
        self.titles = known
        self.longer = longer or {}

    def bucket(self, table: str, key: str) -> int | None:
        return None

    def known(self, title: str) -> int:
        return self.titles.get(title, 0)

    def extended(self, title: str) -> int:
        return self.longer.get(title, 0)


def test_a_title_other_documents_have_is_a_feature_and_so_is_running_past_one() -> None:
    text = "一、农业粮食生产获得好收成。全年粮食产量比上年增长百分之二。"
    start = text.index("农业")
    ends = titles.word_ends(text, start, len(text))
    lexicon = _Lexicon({"农业": 12, "#年工作回顾": 3})
    assert "known:outline:6" in titles.features(text, start, start + 2, "outline1", ends, rates=lexicon)
    longer = titles.features(text, start, text.index("。"), "outline1", ends, rates=lexicon)
    assert "known_inside:outline" in longer and not any(name.startswith("known:") for name in longer)
    assert titles.normal_title("2019年工作回顾") == "#年工作回顾"


def test_shipped_lexicon_holds_titles_of_several_documents() -> None:
    rates = titles.boundary_rates()
    assert rates.known("综合") >= titles.MIN_KNOWN and rates.known("#年工作回顾") >= titles.MIN_KNOWN
    assert rates.known("稳增长调结构") == 0


def test_communique_titles_end_before_the_headline_sentence() -> None:
    """Hand-made, in a communiqué's shape (short category titles, each followed by a headline
    sentence with no mark between them): the model read 农业粮食生产获得好收成 and the like whole
    before the known-title features (国内贸易, 对外经济 are titles of many documents)."""
    text = ("一、综合国民经济持续较快增长。全年国内生产总值比上年增长百分之八，经济结构继续优化。"
            "二、农业种植业结构继续调整。全年粮食产量比上年增加一百万吨，棉花产量有所下降。"
            "三、国内贸易消费品市场销售平稳增长。全年社会消费品零售总额比上年增长百分之九。"
            "四、对外经济对外贸易高速增长。全年进出口总额比上年增长百分之二十。"
            "五、环境保护城市空气质量逐步提高。监测的城市中，空气质量达标的城市有所增加。")
    truth = ["综合", "农业", "国内贸易", "对外经济", "环境保护"]
    queries, ends, found = _decode_titles(text, truth, "outline1")
    right = [title == wanted for title, wanted in zip(found, truth, strict=True)]
    assert sum(right) >= 3, found  # (before: none right, 综合国民经济持续较快增长 at p 0.90)
    assert all(ok or not end.sure for ok, end in zip(right, ends, strict=True)), found


def test_a_body_that_opens_with_a_year_and_repeats_the_title() -> None:
    """（一）工农业总产值1990年工农业总产值，按照…: the year after the cut, then the title again."""
    text = "（一）工农业总产值1990年工农业总产值，按照1980年不变价格计算，比1985年增长百分之三十八。"
    start = text.index("工农业")
    ends = titles.word_ends(text, start, len(text))
    names = titles.features(text, start, start + 6, "outline2", ends)
    assert "next_year:outline" in names and "year_repeat:outline" in names


def _decode_titles(text: str, truth: list[str], kind: str) -> tuple[list[titles.TitleQuery], list[titles.TitleEnd], list[str]]:
    """Decode the titles of ``kind`` that start where each of ``truth`` starts: (queries, ends,
    titles read)."""
    queries = []
    for title in truth:
        start = text.index(title)
        stop, structural = titles.window(text, start, len(text), kind=kind)
        queries.append(titles.TitleQuery(start, stop, kind, structural))
    ends = titles.decode(text, queries)
    return queries, ends, [text[query.start : end.end] for query, end in zip(queries, ends, strict=True)]


def test_shipped_rates_tell_how_often_running_text_parts_two_neighbouring_characters() -> None:
    rates = titles.boundary_rates()
    # 快|在 (…加快。在…) is parted far more often than 业|化 (工业化, 产业化).
    assert (rates.bucket("cross", "快在") or 0) > (rates.bucket("cross", "业化") or 0)
    assert rates.bucket("cross", "\uffff化") is None  # (no back-off to one character)


def test_a_cut_is_described_by_how_often_running_text_parts_its_two_characters() -> None:
    text = "（三）改革开放步伐加快。在全省率先开展农村税费改革试点。"
    start = text.index("改革")
    ends = titles.word_ends(text, start, len(text))
    names = titles.features(text, start, text.index("加快"), "outline2", ends, rates=titles.boundary_rates())
    assert any(name.startswith("rate_cross:outline:") for name in names)
    # the title's own predicate cut off: a clause of two characters, then a full stop
    assert "orphan_end:outline:≤2" in names
    whole = titles.features(text, start, text.index("。"), "outline2", ends, rates=titles.boundary_rates())
    assert not any(name.startswith(("rate_cross", "orphan_end")) for name in whole)  # (a mark follows)


def test_a_known_title_inside_a_jieba_word_is_a_word_end() -> None:
    """一、2018年工作回顾过去一年…: jieba reads 回顾过去 as one word, so the known title's end was a
    mid-word cut; the end of a known title is a word end (and its share of whole titles is a
    feature), but never inside a digit run (对外经济2|3)."""
    text = "一、2018年工作回顾过去一年，全市经济运行总体平稳。各项工作取得了新的进展。"
    start = text.index("2018")
    end = text.index("过去")
    lexicon = _Lexicon({"#年工作回顾": 4, "对外经济#": 3}, {"#年工作回顾": 1})
    assert end not in titles.word_ends(text, start, len(text))
    assert titles.known_ends(text, start, len(text), lexicon) == {end}
    query = titles.TitleQuery(start, text.index("，"), "outline1")
    scored = dict(titles.candidates(text, query, rates=lexicon))
    names = scored[end]
    assert "mid_word" not in names and "known:outline:3" in names and "known_share:outline:0.8" in names
    assert "known_inside:outline" in scored[text.index("一年")]
    assert "known_inside_share:outline:0.8" in scored[text.index("一年")]
    text = "六、对外经济23全年货物进出口总额比上年增长。"
    assert titles.known_ends(text, 2, len(text), lexicon) == {text.index("全")}


def test_the_known_title_scans_prefixes_are_the_normal_titles_of_each_end() -> None:
    # The scan builds each prefix's normal title a character at a time; it must equal
    # normal_title of the prefix itself (digit runs as one #, full-width digits included).
    from planparse.structure.headings import _normal_prefixes
    from planparse.structure.titles import normal_title

    text = "一、2019年工作回顾过去１２个月，全市生产总值增长6.3%，第3季度"
    for start in range(len(text)):
        for stop in range(start, len(text) + 1):
            assert list(_normal_prefixes(text, start, stop)) == [
                (end, normal_title(text[start:end])) for end in range(start + 2, stop + 1)
            ]


def test_the_longest_reading_the_body_restates_is_marked() -> None:
    # 优化能源结构|能源建设要发挥资源优势，优化能源结构，…: the body's first sentence restates the title
    text = "优化能源结构能源建设要发挥资源优势，优化能源结构，提高利用效率。"
    query = titles.TitleQuery(0, len(text), "section")
    by_end = dict(titles.candidates(text, query))
    assert "echo_longest:section" in by_end[6]
    assert "past_echo:section" in by_end[10]  # 优化能源结构能源建设: past the restated words
    assert not any(name.startswith("echo_longest") for end, names in by_end.items() if end != 6 for name in names)


def test_features_are_also_weighed_per_kind_group() -> None:
    text = "公路建设集中力量新建和改建七条干线公路。"
    names = dict(titles.candidates(text, titles.TitleQuery(0, len(text), "section")))[4]
    assert "end_word:建设" in names and "section|end_word:建设" in names
    assert not any(name.startswith("section|") and name.endswith(":section") for name in names)


def test_a_title_the_body_opens_with_again_ends_there() -> None:
    # 第一章农业农业是国民经济的基础，五年内要…: the body opens with the whole title again
    text = "农业农业是国民经济的基础，五年内要在稳定粮食生产的同时，全面发展农村经济。"
    [end] = titles.decode(text, [titles.TitleQuery(0, len(text), "chapter")])
    assert end.end == 2 and end.sure
    # (a digit run cut in two repeats nothing: 20|20年工作安排2020年是…)
    text = "2020年工作安排2020年是全面建成小康社会之年"
    query = titles.TitleQuery(0, len(text), "outline1")
    assert titles._repeated_end(text, query, titles.candidates(text, query)) is None


def test_a_document_with_short_sibling_titles_takes_a_short_title_as_its_kind() -> None:
    """A communiqué's sector titles (综合, 农业 among 工业和建筑业, 固定资产投资): the style says what
    share of the siblings are short, so a short title is not read as a report's clause cut off
    (1998 农业|粮食生产…, 2000 综合|经济增长… read long before)."""
    text = ("一、综合经济增长。二、农业粮食丰收。三、工业和建筑业工业稳定增长。四、国内贸易市场平稳。"
            "五、固定资产投资投资增长。")
    starts = [text.index(label) + 2 for label in ("一、", "二、", "三、", "四、", "五、")]
    stops = [text.index("。", start) for start in starts]
    queries = [titles.TitleQuery(start, stop, "outline1") for start, stop in zip(starts, stops, strict=True)]
    first = titles.Model(titles.model().weights, {})
    style = titles.styles(text, queries, first)
    assert all(0.0 < style[index].short < 1.0 for index in range(len(queries))), style
    names = titles._style_features(text, starts[0] + 2, "综合", "outline", titles.Style(6.0, 0.0, 0.0, 6.0, 0.0, 0.5))
    assert "style_short:outline:mid:1" in names
    names = titles._style_features(text, starts[0] + 6, "综合经济增长", "outline", titles.Style(20.0, 0.9, 0.0, 9.0, 1.0, 0.0))
    assert "style_short:outline:low:0" in names
