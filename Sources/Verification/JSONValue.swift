import Foundation

/// A JSON value for claim parameters and extra fields (numbers are finite Doubles or Ints).
public enum JSONValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .number(d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return "\(b)"
        case let .int(i): return "\(i)"
        case let .number(d): return formatNumber(d)
        case let .string(s): return s
        case let .array(a):
            if a.count > 12 { return "[" + a.prefix(6).map(\.description).joined(separator: ", ") + ", … (\(a.count) values)]" }
            return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    public var double: Double? {
        switch self {
        case let .number(d): return d
        case let .int(i): return Double(i)
        default: return nil
        }
    }
    /// The value as an integer: an integer, or a real with an exact integer value inside
    /// Int's range (nil otherwise, never a trap: `1e19` and `1e300` are not integers here).
    public var int: Int? {
        switch self {
        case let .int(i): return i
        case let .number(d): return Int(exactly: d)
        default: return nil
        }
    }
    public var doubles: [Double]? {
        if case let .array(a) = self { let d = a.compactMap(\.double); return d.count == a.count ? d : nil }
        return nil
    }
    public var ints: [Int]? {
        if case let .array(a) = self { let d = a.compactMap(\.int); return d.count == a.count ? d : nil }
        return nil
    }
}

extension JSONValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(integerLiteral v: Int) { self = .int(v) }
    public init(floatLiteral v: Double) { self = .number(v) }
    public init(stringLiteral v: String) { self = .string(v) }
    public init(booleanLiteral v: Bool) { self = .bool(v) }
    public init(arrayLiteral e: JSONValue...) { self = .array(e) }
    public init(dictionaryLiteral e: (String, JSONValue)...) { self = .object(Dictionary(uniqueKeysWithValues: e)) }
    public init(_ d: [Double]) { self = .array(d.map { .number($0) }) }
    public init(_ i: [Int]) { self = .array(i.map { .int($0) }) }
}

/// Compact human formatting of a number for tables: 4 significant digits, exponent
/// notation outside [1e-3, 1e5).
public func formatNumber(_ x: Double, digits: Int = 4) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "∞" : "−∞" }
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e-3 && a < 1e5 {
        let decimals = max(0, digits - 1 - Int(floor(log10(a))))
        return String(format: "%.\(decimals)f", x)
    }
    return String(format: "%.\(digits - 1)e", x)
}
