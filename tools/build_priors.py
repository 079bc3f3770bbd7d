import yaml, re
src = yaml.safe_load(open('/work/shared/docs/national-indicators.yaml', encoding='utf-8'))
def kind_of(name, unit):
    if unit == '%':
        if re.search(r'(降低|下降|减少|增长|脱贫)$', name) or name in ('化学需氧量','氨氮','二氧化硫','氮氧化物'):
            return 'rate'
        return 'share'
    if unit in ('万人', '万套', '万亩', '人', '个'):
        return 'count'
    if unit in ('件',):
        return 'intensity'
    if unit is None:
        return 'ratio'
    return 'level'
merged = {}
order = []
for period, block in src.items():
    for ind in block['indicators']:
        names = [ind['name'], *ind.get('aliases', [])]
        key = next((k for k in order if k in names or any(a in names for a in merged[k]['aliases'])), None)
        if key is None:
            key = ind['name']; order.append(key)
            merged[key] = {'name': key, 'aliases': [], 'unit': ind.get('unit'), 'kind': kind_of(key, ind.get('unit')), 'national': {}}
        entry = merged[key]
        for n in names:
            if n != key and n not in entry['aliases']:
                entry['aliases'].append(n)
        ref = {k: ind[k] for k in ('unit', 'base', 'target', 'growth', 'cumulative', 'target_cmp', 'growth_cmp') if k in ind}
        entry['national'][period] = ref
        if 'cumulative' in ind and 'growth' not in entry:
            entry['growth'] = 'cumulative' if ind['cumulative'] else 'annual'
for entry in merged.values():
    entry.setdefault('growth', 'cumulative' if entry['kind'] in ('share','rate','count') else 'annual')
    entry['range'] = {'share': [0, 100], 'rate': [-100, 100], 'ratio': [0, 10]}.get(entry['kind'], [0, None])
    entry['intensive'] = entry['kind'] in ('share', 'rate', 'intensity', 'ratio') or entry['unit'] in ('万元/人', '元', '年', '岁')
out = {
  'periods': {p: {'base_year': b['base_year'], 'target_year': b['target_year']} for p, b in src.items()},
  'indicators': [merged[k] for k in order],
}
header = '''# Priors for the indicator repair solver (planparse). SOFT evidence only.
#
# Source of the national reference values: the main-indicator tables (专栏1 主要指标) of the
# national outlines of the 12th (2011-2015), 13th (2016-2020) and 14th (2021-2025) five-year plans
# (国民经济和社会发展第十二/十三/十四个五年规划纲要, published on gov.cn), as transcribed in
# shared/docs/national-indicators.yaml. These are NATIONAL figures, never answers for a regional
# plan: an intensive indicator (share, rate, per-capita, per-10,000-people) of a region usually
# lies within a small factor of the national value; extensive ones are fractions of it.
#
# Fields: name, aliases, unit, kind (share | rate | level | count | intensity | ratio),
# range (plausible [min, max], null = open), growth (how change is usually stated: annual rate or
# five-year cumulative [ ]), intensive (whether the national value is a scale prior for a region),
# national (per period: base, target, growth, cumulative, comparators).
# Generic rules for indicators not listed here live in repair.py (GENERIC_* constants).
'''
open('/tmp/mine/indicators.yaml', 'w', encoding='utf-8').write(header + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=200))
print(len(out['indicators']))
