namespace Cts.Domain.Config;

/// <summary>
/// Rules for the free text operators type (names, reasons): it is shown on pages, in logs and audit entries, so it must
/// not carry control characters (C0, DEL, C1) or line and paragraph separators, which could forge log lines or hide
/// text.
/// </summary>
public static class PlainText
{
    public const string ControlCharactersMessage = "must not contain control characters or line breaks";

    public static bool HasControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Checks a required name: present, not blank, at most <paramref name="maxLength"/> characters, plain text.</summary>
    public static void CheckName(FieldErrors errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
        }
        else if (HasControlCharacters(value))
        {
            errors.Add(field, ControlCharactersMessage);
        }
    }

    /// <summary>Checks optional free text (a reason): absent is fine; otherwise at most <paramref name="maxLength"/> characters, plain text.</summary>
    public static void CheckOptional(FieldErrors errors, string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }
        if (value.Length > maxLength)
        {
            errors.Add(field, $"at most {maxLength} characters");
        }
        else if (HasControlCharacters(value))
        {
            errors.Add(field, ControlCharactersMessage);
        }
    }
}
