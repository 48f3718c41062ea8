using System.Text.RegularExpressions;

namespace OpenAttribution.Core.Channels;

/// <summary>
/// Validates a <see cref="RuleNode"/> tree and turns it into a <see cref="ChannelGrouping"/>.
/// Every problem is collected (with the rule number, channel, field and bad value) and all of them
/// are thrown at once as a <see cref="ChannelRulesException"/>.
/// </summary>
internal sealed class ChannelRulesCompiler
{
    /// <summary>The limit of one regex match; rule values are short, so only a pathological pattern reaches it.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly string[] TopLevelKeys = ["extends", "rules", "categories", "fallback"];
    private static readonly string[] OperatorNames = ["equals", "in", "contains", "prefix", "suffix", "regex", "category"];
    private static readonly string[] GroupNames = ["all", "any", "not"];
    private static readonly string[] RuleOnlyKeys = ["channel", "description"];

    private readonly List<string> problems = [];
    private readonly Dictionary<string, Regex> regexes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiteList> categories = BuiltInSiteLists.CreateTable();
    private bool customCategories;

    private ChannelRulesCompiler()
    {
    }

    /// <summary>Builds the grouping a user rule file describes.</summary>
    public static ChannelGrouping Build(RuleNode? root)
    {
        var compiler = new ChannelRulesCompiler();
        (List<ChannelRule> rules, bool extendsDefault, string? fallback) = compiler.CompileFile(root);
        if (compiler.problems.Count > 0)
        {
            throw new ChannelRulesException(compiler.problems);
        }

        if (extendsDefault)
        {
            // The default rules see the file's categories too (e.g. one more search engine).
            IReadOnlyList<ChannelRule> defaults = compiler.customCategories
                ? compiler.CompileFile(DefaultChannelRules.Root).Rules
                : ChannelGrouping.Default.Rules;
            if (compiler.problems.Count > 0)
            {
                throw new ChannelRulesException(compiler.problems);
            }

            rules.AddRange(defaults);
        }

        return new ChannelGrouping(rules, fallback ?? ChannelGrouping.UnassignedChannel);
    }

    /// <summary>Builds the built-in GA4 grouping (a failure here is a bug in <see cref="DefaultChannelRules"/>).</summary>
    public static ChannelGrouping BuildDefault()
    {
        var compiler = new ChannelRulesCompiler();
        (List<ChannelRule> rules, _, _) = compiler.CompileFile(DefaultChannelRules.Root);
        if (compiler.problems.Count > 0)
        {
            throw new InvalidOperationException("The built-in channel rules are invalid: " + string.Join("; ", compiler.problems));
        }

        return new ChannelGrouping(rules, ChannelGrouping.UnassignedChannel);
    }

    private (List<ChannelRule> Rules, bool ExtendsDefault, string? Fallback) CompileFile(RuleNode? root)
    {
        var rules = new List<ChannelRule>();
        switch (root)
        {
            case null:
                problems.Add("the rule file is empty; expected a mapping with \"rules\" (and optionally \"extends: default\")");
                return (rules, false, null);

            case ListNode list:
                CompileRules(list, rules);
                return (rules, false, null);

            case MapNode:
                break;

            default:
                problems.Add($"{At(root)}expected a mapping with \"rules\" (or a list of rules), found {root.Kind}");
                return (rules, false, null);
        }

        MapNode file = (MapNode)root;
        CheckDuplicateKeys(file, "");
        bool extendsDefault = false;
        string? fallback = null;
        RuleNode? rulesNode = null;
        foreach ((string key, RuleNode value) in file.Entries)
        {
            switch (key.ToLowerInvariant())
            {
                case "extends":
                    extendsDefault = ReadExtends(value);
                    break;
                case "fallback":
                    fallback = ReadText(value, $"{At(value)}\"fallback\"");
                    break;
                case "categories":
                    ReadCategories(value);
                    break;
                case "rules":
                    rulesNode = value;
                    break;
                default:
                    problems.Add($"{At(value)}unknown top-level key \"{key}\"; expected one of: {string.Join(", ", TopLevelKeys)}");
                    break;
            }
        }

        switch (rulesNode)
        {
            case null when !extendsDefault:
                problems.Add("\"rules\" is missing; list at least one rule (or say \"extends: default\" to only add categories)");
                break;
            case null:
                break;
            case ListNode list:
                CompileRules(list, rules);
                break;
            case ScalarNode { Value: null } when extendsDefault:
                break;
            default:
                problems.Add($"{At(rulesNode)}\"rules\" must be a list of rules, found {rulesNode.Kind}");
                break;
        }

        if (rulesNode is ListNode { Items.Count: 0 } && !extendsDefault)
        {
            problems.Add($"{At(rulesNode)}\"rules\" is empty; every touch would be \"{fallback ?? ChannelGrouping.UnassignedChannel}\"");
        }

        return (rules, extendsDefault, fallback);
    }

    private bool ReadExtends(RuleNode value)
    {
        string? text = ReadText(value, $"{At(value)}\"extends\"");
        if (text is null)
        {
            return false;
        }

        if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{At(value)}\"extends\": unknown value \"{text}\"; expected \"default\" (these rules first, then GA4's default channel group) or \"none\"");
        }

        return false;
    }

    private void ReadCategories(RuleNode value)
    {
        if (value is not MapNode map)
        {
            problems.Add($"{At(value)}\"categories\" must map category names to lists of sites, found {value.Kind}");
            return;
        }

        CheckDuplicateKeys(map, "\"categories\": ");
        foreach ((string rawName, RuleNode entriesNode) in map.Entries)
        {
            string name = rawName.Trim();
            string where = $"{At(entriesNode)}category \"{name}\"";
            if (name.Length == 0)
            {
                problems.Add($"{At(entriesNode)}a category needs a name");
                continue;
            }

            string[]? entries = ReadOperands(entriesNode, where, allowList: true);
            if (entries is null)
            {
                continue;
            }

            IEnumerable<string> merged = categories.TryGetValue(name, out SiteList? existing) ? existing.Entries.Concat(entries) : entries;
            categories[name] = new SiteList(name, merged);
            customCategories = true;
        }
    }

    private void CompileRules(ListNode list, List<ChannelRule> rules)
    {
        for (int i = 0; i < list.Items.Count; i++)
        {
            RuleNode item = list.Items[i];
            if (item is not MapNode map)
            {
                problems.Add($"rule {i + 1}{Line(item)}: expected a mapping with \"channel\" and a condition, found {item.Kind}");
                continue;
            }

            string? channel = null;
            RuleNode? channelNode = map.Entries.FirstOrDefault(e => e.Key.Equals("channel", StringComparison.OrdinalIgnoreCase)).Value;
            if (channelNode is ScalarNode { Value: { } text } && !string.IsNullOrWhiteSpace(text))
            {
                channel = text.Trim();
            }

            string label = channel is null ? $"rule {i + 1}" : $"rule {i + 1} (channel \"{channel}\")";
            if (channelNode is null)
            {
                problems.Add($"{label}{Line(map)}: missing \"channel\" (the channel name this rule assigns)");
            }
            else if (channel is null)
            {
                problems.Add($"{label}{Line(channelNode)}: \"channel\" must be a non-empty text value, found {channelNode.Kind}");
            }

            if (map.Entries.FirstOrDefault(e => e.Key.Equals("description", StringComparison.OrdinalIgnoreCase)).Value is { } description
                && description is not ScalarNode)
            {
                problems.Add($"{label}{Line(description)}: \"description\" must be a text value, found {description.Kind}");
            }

            Condition? condition = CompileCondition(map, label, "", isRule: true);
            if (channel is not null && condition is not null)
            {
                rules.Add(new ChannelRule(channel, condition));
            }
        }
    }

    private Condition? CompileCondition(MapNode map, string label, string path, bool isRule)
    {
        string where = Where(label, path, map);
        CheckDuplicateKeys(map, where + ": ");

        var groups = new List<KeyValuePair<string, RuleNode>>();
        var operators = new List<KeyValuePair<string, RuleNode>>();
        RuleNode? fieldNode = null;
        bool bad = false;
        foreach (KeyValuePair<string, RuleNode> entry in map.Entries)
        {
            string key = entry.Key.Trim().ToLowerInvariant();
            if (isRule && RuleOnlyKeys.Contains(key))
            {
                continue;
            }

            if (key == "field")
            {
                fieldNode = entry.Value;
            }
            else if (GroupNames.Contains(key))
            {
                groups.Add(new(key, entry.Value));
            }
            else if (OperatorNames.Contains(key))
            {
                operators.Add(new(key, entry.Value));
            }
            else
            {
                bad = true;
                string hint = map.Entries.Any(e => e.Key.Equals("field", StringComparison.OrdinalIgnoreCase))
                    ? $"unknown operator \"{entry.Key}\"; expected one of: {string.Join(", ", OperatorNames)}"
                    : $"unknown key \"{entry.Key}\"; a condition is \"field\" with one operator ({string.Join(", ", OperatorNames)}), or one of: all, any, not";
                problems.Add($"{Where(label, path, entry.Value)}: {hint}");
            }
        }

        bool isField = fieldNode is not null || operators.Count > 0;
        if (groups.Count + (isField ? 1 : 0) > 1)
        {
            string found = string.Join(", ", groups.Select(g => g.Key).Concat(isField ? ["field"] : []));
            problems.Add($"{where}: a condition is exactly one of \"all\", \"any\", \"not\" or \"field\" + operator, found {found}; nest them under \"all\" or \"any\"");
            return null;
        }

        if (groups.Count == 1)
        {
            return CompileGroup(groups[0].Key, groups[0].Value, label, path);
        }

        if (isField)
        {
            return CompileField(fieldNode, operators, label, path, map, unknownKeyReported: bad);
        }

        if (!bad)
        {
            problems.Add(isRule
                ? $"{where}: the rule has no condition; give \"field\" with an operator, \"all\", \"any\" or \"not\" (\"all: []\" matches every touch)"
                : $"{where}: empty condition; give \"field\" with an operator, \"all\", \"any\" or \"not\"");
        }

        return null;
    }

    private Condition? CompileGroup(string kind, RuleNode value, string label, string path)
    {
        string groupPath = Join(path, kind);
        if (kind == "not")
        {
            if (value is MapNode inner)
            {
                Condition? condition = CompileCondition(inner, label, groupPath, isRule: false);
                return condition is null ? null : new NotCondition(condition);
            }

            problems.Add($"{Where(label, groupPath, value)}: \"not\" takes one condition (a mapping), found {value.Kind}; wrap several in \"any\" or \"all\"");
            return null;
        }

        IReadOnlyList<RuleNode> items;
        if (value is ListNode list)
        {
            items = list.Items;
        }
        else if (value is MapNode single)
        {
            items = [single];
        }
        else
        {
            problems.Add($"{Where(label, groupPath, value)}: \"{kind}\" takes a list of conditions, found {value.Kind}");
            return null;
        }

        if (kind == "any" && items.Count == 0)
        {
            problems.Add($"{Where(label, groupPath, value)}: \"any\" needs at least one condition");
            return null;
        }

        var parts = new List<Condition>(items.Count);
        bool ok = true;
        for (int i = 0; i < items.Count; i++)
        {
            string itemPath = $"{groupPath} #{i + 1}";
            if (items[i] is MapNode itemMap)
            {
                Condition? part = CompileCondition(itemMap, label, itemPath, isRule: false);
                ok &= part is not null;
                if (part is not null)
                {
                    parts.Add(part);
                }
            }
            else
            {
                problems.Add($"{Where(label, itemPath, items[i])}: expected a condition (a mapping), found {items[i].Kind}");
                ok = false;
            }
        }

        if (!ok)
        {
            return null;
        }

        return kind == "all" ? new AllCondition([.. parts]) : new AnyCondition([.. parts]);
    }

    private Condition? CompileField(
        RuleNode? fieldNode,
        List<KeyValuePair<string, RuleNode>> operators,
        string label,
        string path,
        MapNode map,
        bool unknownKeyReported)
    {
        string where = Where(label, path, map);
        ChannelField field = default;
        string fieldName = "?";
        bool ok = true;
        if (fieldNode is null)
        {
            problems.Add($"{where}: missing \"field\" for operator \"{operators[0].Key}\"; expected one of: {string.Join(", ", ChannelFields.Names)}");
            ok = false;
        }
        else if (fieldNode is not ScalarNode { Value: { } name } || !ChannelFields.TryParse(name, out field))
        {
            string shown = fieldNode is ScalarNode { Value: { } text } ? $"\"{text}\"" : fieldNode.Kind;
            problems.Add($"{Where(label, path, fieldNode)}: unknown field {shown}; expected one of: {string.Join(", ", ChannelFields.Names)}");
            ok = false;
        }
        else
        {
            fieldName = ChannelFields.Names[(int)field];
        }

        if (operators.Count == 0)
        {
            if (unknownKeyReported)
            {
                return null;
            }

            problems.Add($"{where}: field \"{fieldName}\" has no operator; expected one of: {string.Join(", ", OperatorNames)}");
            return null;
        }

        if (operators.Count > 1)
        {
            problems.Add($"{where}: field \"{fieldName}\" has several operators ({string.Join(", ", operators.Select(o => o.Key))}); use one per condition and combine conditions with \"all\" or \"any\"");
            return null;
        }

        (string op, RuleNode operand) = operators[0];
        string context = $"{Where(label, path, operand)}: {fieldName} {op}";
        switch (op)
        {
            case "regex":
                string? pattern = ReadText(operand, context);
                Regex? regex = pattern is null ? null : GetRegex(pattern, context);
                return ok && regex is not null ? new RegexCondition(field, regex, label) : null;

            case "category":
                string[]? names = ReadOperands(operand, context, allowList: true);
                if (names is null)
                {
                    return null;
                }

                var lists = new List<SiteList>(names.Length);
                foreach (string name in names)
                {
                    if (categories.TryGetValue(name, out SiteList? list))
                    {
                        lists.Add(list);
                    }
                    else
                    {
                        problems.Add($"{context}: unknown category \"{name}\"; expected one of: {string.Join(", ", categories.Keys.Order(StringComparer.Ordinal))}");
                        ok = false;
                    }
                }

                return ok ? new CategoryCondition(field, [.. lists]) : null;

            default:
                string[]? operands = ReadOperands(operand, context, allowList: op != "equals");
                if (operands is null)
                {
                    return null;
                }

                TextOperator textOperator = op switch
                {
                    "contains" => TextOperator.Contains,
                    "prefix" => TextOperator.Prefix,
                    "suffix" => TextOperator.Suffix,
                    _ => TextOperator.Equals,
                };
                return ok ? new TextCondition(field, textOperator, operands) : null;
        }
    }

    private Regex? GetRegex(string pattern, string context)
    {
        if (regexes.TryGetValue(pattern, out Regex? cached))
        {
            return cached;
        }

        try
        {
            var regex = new Regex(
                pattern,
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled,
                RegexTimeout);
            regexes.Add(pattern, regex);
            return regex;
        }
        catch (ArgumentException ex)
        {
            problems.Add($"{context}: bad regex \"{pattern}\": {ex.Message}");
            return null;
        }
    }

    /// <summary>One text value, or a list of them when <paramref name="allowList"/>; null (and a problem) otherwise.</summary>
    private string[]? ReadOperands(RuleNode node, string context, bool allowList)
    {
        if (node is ScalarNode)
        {
            string? single = ReadText(node, context);
            return single is null ? null : [single];
        }

        if (node is ListNode list && allowList)
        {
            if (list.Items.Count == 0)
            {
                problems.Add($"{context}: the list is empty; give at least one value");
                return null;
            }

            var values = new string[list.Items.Count];
            for (int i = 0; i < values.Length; i++)
            {
                string? value = ReadText(list.Items[i], $"{context} value #{i + 1}");
                if (value is null)
                {
                    return null;
                }

                values[i] = value;
            }

            return values;
        }

        problems.Add(allowList
            ? $"{context}: expected a text value or a list of them, found {node.Kind}"
            : $"{context}: expected one text value, found {node.Kind} (use \"in\" to test a list of values)");
        return null;
    }

    private string? ReadText(RuleNode node, string context)
    {
        if (node is not ScalarNode { Value: { } text })
        {
            problems.Add($"{context}: expected a text value, found {node.Kind}");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{context}: the value is empty (a missing field reads as \"{TrafficSource.NotSet}\")");
            return null;
        }

        return text.Trim();
    }

    private void CheckDuplicateKeys(MapNode map, string prefix)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, RuleNode value) in map.Entries)
        {
            if (!seen.Add(key.Trim()))
            {
                problems.Add($"{prefix}key \"{key}\" appears more than once{Line(value)}");
            }
        }
    }

    private static string Join(string path, string step) => path.Length == 0 ? step : path + " > " + step;

    private static string Where(string label, string path, RuleNode node) =>
        (path.Length == 0 ? label : label + ", " + path) + Line(node);

    private static string Line(RuleNode node) => node.Line > 0 ? $" (line {node.Line})" : "";

    private static string At(RuleNode node) => node.Line > 0 ? $"line {node.Line}: " : "";
}
