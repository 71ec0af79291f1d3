// Runs a batch of C# snippets compiled into one assembly with it, each in turn, in one process.
//
// Snippet i is the class N<i>.Program (the harness wraps each Program.cs in namespace N<i>).
// Usage: mono batch.exe JOBS RESULTS. JOBS has one line per snippet, tab-separated base64
// (UTF-8) fields: the working directory, then environment names and values. RESULTS gets one
// line per snippet: the exit status, then stdout and stderr in base64. A snippet's variables
// are unset again after it runs, so no job sees another's environment.
using System;
using System.IO;
using System.Reflection;
using System.Text;

static class Driver
{
    static int Main(string[] args)
    {
        string[] jobs = File.ReadAllLines(args[0]);
        var results = new StringBuilder();
        TextWriter stdout = Console.Out;
        TextWriter stderr = Console.Error;
        for (int index = 0; index < jobs.Length; index++)
        {
            results.AppendLine(Run(index, Array.ConvertAll(jobs[index].Split('\t'), Decode)));
        }
        Console.SetOut(stdout);
        Console.SetError(stderr);
        File.WriteAllText(args[1], results.ToString());
        return 0;
    }

    static string Run(int index, string[] job)
    {
        Directory.SetCurrentDirectory(job[0]);
        Environment.SetEnvironmentVariable("HOME", job[0]);
        for (int k = 1; k + 1 < job.Length; k += 2)
        {
            Environment.SetEnvironmentVariable(job[k], job[k + 1]);
        }
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int status;
        try
        {
            MethodInfo main = Type.GetType("N" + index + ".Program").GetMethod(
                "Main", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            status = (int)main.Invoke(null, null);
        }
        catch (TargetInvocationException e)
        {
            status = 255;
            stderr.WriteLine("Unhandled exception: " + e.InnerException);
        }
        finally
        {
            for (int k = 1; k + 1 < job.Length; k += 2)
            {
                Environment.SetEnvironmentVariable(job[k], null);
            }
        }
        return status + "\t" + Encode(stdout.ToString()) + "\t" + Encode(stderr.ToString());
    }

    static string Decode(string field)
    {
        return Encoding.UTF8.GetString(Convert.FromBase64String(field));
    }

    static string Encode(string text)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }
}
